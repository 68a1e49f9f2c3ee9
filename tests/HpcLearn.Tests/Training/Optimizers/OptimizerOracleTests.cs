using HpcLearn.Training.Optimizers;
using TorchSharp;
using Parameter = TorchSharp.Modules.Parameter;
using Adam = HpcLearn.Training.Optimizers.Adam;
using Sgd = HpcLearn.Training.Optimizers.Sgd;
using Xunit;
using static TorchSharp.torch;

using HpcLearn.Runs;

namespace HpcLearn.Tests.Training.Optimizers;

/// <summary>Our optimisers against TorchSharp's (the same formulas as PyTorch's) on the same gradients.</summary>
public sealed class OptimizerOracleTests
{
    private static (Parameter Ours, Parameter Theirs) Pair(int seed)
    {
        var g = new Generator((ulong)seed);
        var init = randn([4, 3], generator: g, dtype: ScalarType.Float64);
        return (new Parameter(init.clone()), new Parameter(init.clone()));
    }

    private static void Run(Func<Parameter, HpcLearn.Training.Optimizers.Optimizer> ours, Func<Parameter, optim.Optimizer> theirs, int steps = 7)
    {
        using var scope = NewDisposeScope();
        var (p, q) = Pair(3);
        using var a = ours(p);
        var b = theirs(q);
        var g = new Generator(11);
        for (int s = 0; s < steps; s++)
        {
            var target = randn([4, 3], generator: g, dtype: ScalarType.Float64);
            foreach (var (param, opt) in new[] { (p, (Action)(() => a.Step())), (q, (Action)(() => b.step())) })
            {
                param.grad?.zero_();
                (param - target).pow(2).sum().backward();
                opt();
            }
        }
        Assert.True(p.allclose(q, rtol: 1e-10, atol: 1e-12), $"max difference {(p - q).abs().max().ToDouble()}");
        Assert.False(p.allclose(Pair(3).Ours, rtol: 1e-3), "the parameters did not move");
    }

    [Fact]
    public void AdamW_matches_TorchSharp_AdamW() =>
        Run(p => new Adam([p], lr: 0.05, weightDecay: 0.1, decoupled: true), q => optim.AdamW([q], lr: 0.05, weight_decay: 0.1));

    [Fact]
    public void Adam_with_L2_matches_TorchSharp_Adam() =>
        Run(p => new Adam([p], lr: 0.05, weightDecay: 0.1, decoupled: false), q => optim.Adam([q], lr: 0.05, weight_decay: 0.1));

    [Fact]
    public void Sgd_with_momentum_matches_TorchSharp_SGD() =>
        Run(p => new Sgd([p], lr: 0.02, momentum: 0.9, weightDecay: 0.01), q => optim.SGD([q], 0.02, momentum: 0.9, weight_decay: 0.01));

    [Fact]
    public void State_round_trips_through_save_and_load()
    {
        using var scope = NewDisposeScope();
        var (p, q) = Pair(5);
        using var a = new Adam([p], lr: 0.1);
        using var b = new Adam([q], lr: 0.1);
        p.grad?.zero_();
        p.pow(2).sum().backward();
        a.Step();
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true)) a.Save(w);
        ms.Position = 0;
        using (var r = new BinaryReader(ms)) b.Load(r);
        Assert.Equal(1, b.StepCount);

        // The same next step from the same state and weights.
        using (no_grad()) q.copy_(p);
        foreach (var (param, opt) in new[] { (p, a), (q, b) })
        {
            param.grad?.zero_();
            param.pow(2).sum().backward();
            opt.Step();
        }
        Assert.True(p.allclose(q, rtol: 0, atol: 0));
    }

    [Fact]
    public void Loading_another_optimisers_state_is_a_user_error()
    {
        using var scope = NewDisposeScope();
        var (p, q) = Pair(5);
        using var adam = new Adam([p], lr: 0.1);
        using var sgd = new Sgd([q], lr: 0.1);
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true)) adam.Save(w);
        ms.Position = 0;
        using var r = new BinaryReader(ms);
        var e = Assert.Throws<UserError>(() => sgd.Load(r));
        Assert.Equal("the checkpoint's optimiser is Adam, but train.optimizer makes a Sgd; resume with the optimiser it was trained with", e.Message);
    }
}
