using HpcLearn.Runs;
using HpcLearn.Training;
using HpcLearn.Training.Callbacks;
using TorchSharp;
using Xunit;

namespace HpcLearn.Tests.Training.Callbacks;

public sealed class GradientClipCallbackTests
{
    /// <summary>Records the global L2 gradient norm, run before or after the clip by its order.</summary>
    private sealed class NormSpy(int order) : Callback
    {
        public override int Order => order;
        public List<double> Norms { get; } = new();

        public override void AfterBackward(Learner learner)
        {
            using var scope = torch.NewDisposeScope();
            double sq = learner.Model.parameters().Sum(p => p.grad!.pow(2).sum().ToDouble());
            Norms.Add(Math.Sqrt(sq));
        }
    }

    [Fact]
    public void After_backward_the_global_gradient_norm_is_at_most_max()
    {
        using var scope = torch.NewDisposeScope();
        const double max = 0.05;
        var before = new NormSpy(CallbackOrder.GradientClip - 1);
        var after = new NormSpy(CallbackOrder.GradientClip + 1);
        using var t = new Tiny(callbacks: [after, new GradientClipCallback(max), before]);

        t.Learner.Fit(2);

        Assert.Equal(2 * Tiny.Batches, after.Norms.Count);
        Assert.Contains(before.Norms, n => n > 2 * max); // clipping had work to do
        Assert.All(after.Norms, n => Assert.True(n <= max + 1e-5, $"norm {n} > {max}"));
        // Clipping scales the gradient down to max, and leaves small ones alone.
        for (int i = 0; i < before.Norms.Count; i++)
            Assert.Equal(Math.Min(before.Norms[i], max), after.Norms[i], 1e-5);
    }

    [Fact]
    public void Max_norm_must_be_positive() => Assert.Throws<ArgumentOutOfRangeException>(() => new GradientClipCallback(0));
}
