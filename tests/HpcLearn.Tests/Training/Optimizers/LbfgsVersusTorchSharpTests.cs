using HpcLearn.Training.Optimizers;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

using HpcLearn.Runs;

namespace HpcLearn.Tests.Training.Optimizers;

/// <summary>Our L-BFGS against TorchSharp's (no line search, lr 0.1) on a small regression, same start, same iterations.</summary>
[Collection("torch-rng")] // alone: TorchSharp's LBFGS makes temporary Scalars (docs/training.md), so keep other threads from allocating meanwhile
public sealed class LbfgsVersusTorchSharpTests(ITestOutputHelper output)
{
    private const int Hidden = 20, Iterations = 100;

    /// <summary>A 1 → 20 → 1 tanh net's parameters from a fixed generator (float64).</summary>
    private static Parameter[] Net(int seed)
    {
        var g = new Generator((ulong)seed);
        Tensor Init(long[] shape) => randn(shape, dtype: ScalarType.Float64, generator: g).div_(tensor(Math.Sqrt(shape[^1]), ScalarType.Float64));
        return [new(Init([Hidden, 1])), new(zeros(Hidden, ScalarType.Float64)), new(Init([1, Hidden])), new(zeros(1, ScalarType.Float64))];
    }

    private static Func<Tensor> Closure(Parameter[] w, Tensor x, Tensor y, bool detach) => () =>
    {
        foreach (var p in w) p.grad?.zero_();
        var prediction = tanh(x.mm(w[0].t()) + w[1]).mm(w[2].t()) + w[3];
        var loss = nn.functional.mse_loss(prediction, y);
        loss.backward();
        return detach ? loss.detach() : loss;
    };

    [Fact]
    public void Reaches_a_lower_loss_than_TorchSharp_LBFGS_in_the_same_iterations()
    {
        using var scope = NewDisposeScope();
        var x = linspace(-Math.PI, Math.PI, 200, dtype: ScalarType.Float64).unsqueeze(1);
        var y = x.sin();
        var ours = Net(5);
        var theirs = Net(5);

        var result = new Lbfgs(ours).Minimize(Closure(ours, x, y, detach: false), Iterations, maxEvaluations: 10 * Iterations);
        double oursLoss = Closure(ours, x, y, detach: true)().ToDouble();

        var optimizer = optim.LBFGS(theirs, lr: 0.1, max_iter: Iterations, max_eval: Iterations * 5 / 4, tolerange_grad: 0, tolerance_change: 0);
        optimizer.step(Closure(theirs, x, y, detach: true));
        double theirsLoss = Closure(theirs, x, y, detach: true)().ToDouble();

        output.WriteLine($"ours: {result} (MSE {oursLoss:E3}); TorchSharp LBFGS lr 0.1, {Iterations} iterations: MSE {theirsLoss:E3}");
        Assert.True(oursLoss < theirsLoss, $"ours {oursLoss} vs TorchSharp {theirsLoss}");
    }
}
