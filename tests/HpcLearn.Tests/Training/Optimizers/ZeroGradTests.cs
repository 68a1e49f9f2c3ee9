using HpcLearn.Training.Optimizers;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

using HpcLearn.Runs;

namespace HpcLearn.Tests.Training.Optimizers;

/// <summary>ZeroGrad clears gradients in place: data-parallel buckets rely on the gradient keeping its memory.</summary>
public sealed class ZeroGradTests
{
    [Fact]
    public void ZeroGrad_ClearsEveryGradientInPlace()
    {
        using var model = nn.Linear(4, 3);
        using var opt = new Adam(model.parameters(), 1e-3);
        using (var x = randn(5, 4)) model.forward(x).square().sum().backward();
        // Handles to the gradients as they are now: zeroed in place, they read zero too; had
        // ZeroGrad put new tensors in their place, these would keep the old values.
        var held = opt.Parameters.Select(p => p.grad!).ToList();
        Assert.All(held, g => Assert.True(g.abs().sum().ToDouble() > 0));

        opt.ZeroGrad();

        Assert.All(held, g => Assert.Equal(0.0, g.abs().sum().ToDouble()));
        Assert.All(opt.Parameters, p => Assert.Equal(0.0, p.grad!.abs().sum().ToDouble()));
        foreach (var g in held) g.Dispose();
    }

    [Fact]
    public void ZeroGrad_LeavesMissingGradientsMissing()
    {
        using var model = nn.Linear(2, 2);
        using var opt = new Adam(model.parameters(), 1e-3);
        opt.ZeroGrad();
        Assert.All(opt.Parameters, p => Assert.Null(p.grad));
    }
}
