using HpcLearn.Tasks.Pde;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace HpcLearn.Tests.Tasks.Pde;

/// <summary>The Burgers PINN: its autograd residual against finite differences, a short training, bad input.</summary>
public sealed class BurgersPinnTests(ITestOutputHelper output)
{
    private static readonly BurgersPinnOptions Small = new()
    {
        Layers = [2, 20, 20, 20, 1], CollocationPoints = 400, InitialBoundaryPoints = 100,
        AdamIterations = 100, LbfgsIterations = 150, Float64 = true, Seed = 7,
    };

    [Fact]
    public void Autograd_residual_matches_finite_differences_of_the_network()
    {
        using var pinn = new BurgersPinn(Small);
        double[] pts = [0.3, 0.2, -0.7, 0.55, 0.05, 0.9, -0.1, 0.4];
        using var scope = NewDisposeScope();
        var points = tensor(pts, [4, 2], dtype: ScalarType.Float64);
        var residual = pinn.Residual(points).detach().data<double>().ToArray();
        double nu = Small.Nu;

        double U(double x, double t)
        {
            using var s = NewDisposeScope();
            using var g = no_grad();
            return pinn.Model.forward(tensor(new[] { x, t }, [1, 2], dtype: ScalarType.Float64)).ToDouble();
        }

        for (int k = 0; k < 4; k++)
        {
            double x = pts[2 * k], t = pts[2 * k + 1], h = 1e-3;
            // Fourth-order central differences: error O(h⁴) ≈ 1e-12 times the fifth derivative.
            double ux = (-U(x + 2 * h, t) + 8 * U(x + h, t) - 8 * U(x - h, t) + U(x - 2 * h, t)) / (12 * h);
            double ut = (-U(x, t + 2 * h) + 8 * U(x, t + h) - 8 * U(x, t - h) + U(x, t - 2 * h)) / (12 * h);
            double uxx = (-U(x + 2 * h, t) + 16 * U(x + h, t) - 30 * U(x, t) + 16 * U(x - h, t) - U(x - 2 * h, t)) / (12 * h * h);
            double fd = ut + U(x, t) * ux - nu * uxx;
            output.WriteLine($"({x}, {t}): autograd f = {residual[k]:R}, finite differences {fd:R}, difference {Math.Abs(residual[k] - fd):E2}");
            Assert.True(Math.Abs(residual[k] - fd) <= 1e-6, $"residual at ({x}, {t}): autograd {residual[k]:R} vs finite differences {fd:R}");
        }
    }

    [Fact]
    public void Short_training_lowers_loss_and_error()
    {
        var (xs, ts) = BurgersExact.StandardGrid();
        // A coarser grid keeps the test fast; the error is the same measure.
        xs = xs.Where((_, i) => i % 4 == 0).ToArray();
        ts = ts.Where((_, j) => j % 4 == 0).ToArray();
        var exact = new BurgersExact(points: 2001).Grid(xs, ts);
        using var pinn = new BurgersPinn(Small);
        double untrained = pinn.RelativeL2Error(exact, xs, ts);
        var r = pinn.Train(output.WriteLine);
        double trained = pinn.RelativeL2Error(exact, xs, ts);
        output.WriteLine($"loss {r.InitialLoss:E3} -> adam {r.AdamLoss:E3} -> lbfgs {r.FinalLoss:E3}; relative L2 {untrained:E3} -> {trained:E3}; {r.Lbfgs}");
        Assert.True(r.FinalLoss < r.InitialLoss / 10, $"loss {r.InitialLoss} -> {r.FinalLoss}");
        Assert.True(r.FinalLoss <= r.AdamLoss, $"L-BFGS raised the loss: {r.AdamLoss} -> {r.FinalLoss}");
        Assert.True(trained < untrained / 2, $"relative L2 error {untrained} -> {trained}");
        Assert.NotNull(r.Lbfgs);
        Assert.True(r.Lbfgs!.Iterations >= 1);
    }

    [Fact]
    public void Zero_collocation_points_is_a_user_error()
    {
        var e = Assert.Throws<UserError>(() => new BurgersPinn(Small with { CollocationPoints = 0 }));
        Assert.Equal("pde.collocation_points must be at least 1 (got 0): the PDE residual needs points inside the domain", e.Message);
    }

    [Fact]
    public void Wrong_network_or_point_shapes_are_user_errors()
    {
        using var wrong = new PinnModel([3, 5, 1], lower: [-1, 0, 0], upper: [1, 1, 1], dtype: ScalarType.Float64);
        var e = Assert.Throws<UserError>(() => new BurgersPinn(Small, wrong));
        Assert.Equal("a Burgers PINN needs a network with 2 inputs (x, t) and 1 output (u); got 3 inputs and 1 outputs", e.Message);

        var layers = Assert.Throws<UserError>(() => new BurgersPinn(Small with { Layers = [2, 10, 2] }));
        Assert.StartsWith("pde.layers must start with 2 inputs (x, t) and end with 1 output (u)", layers.Message);

        using var pinn = new BurgersPinn(Small);
        using var scope = NewDisposeScope();
        var bad = Assert.Throws<UserError>(() => pinn.Residual(zeros(5, 3, dtype: ScalarType.Float64)));
        Assert.Equal("residual points must have shape (N, 2) with N ≥ 1, as (x, t); got (5, 3)", bad.Message);
        var single = Assert.Throws<UserError>(() => pinn.Residual(zeros(5, 2, dtype: ScalarType.Float32)));
        Assert.Equal("residual points are Float32 but the network is Float64", single.Message);
        var forward = Assert.Throws<UserError>(() => pinn.Model.forward(zeros(4, dtype: ScalarType.Float64)));
        Assert.Equal("PINN input must have shape (N, 2), got (4)", forward.Message);
    }

    [Fact]
    public void Model_has_glorot_weights_and_zero_biases()
    {
        random.manual_seed(1);
        using var model = new PinnModel(dtype: ScalarType.Float64);
        var p = model.named_parameters().ToList();
        Assert.Equal(18, p.Count);                            // 9 layers × (weight, bias)
        foreach (var (name, t) in p)
        {
            Assert.Equal(ScalarType.Float64, t.dtype);
            if (name.EndsWith("bias")) Assert.Equal(0.0, t.abs().max().ToDouble());
        }
        // Glorot normal for a 20 × 20 layer: std √(2/40) ≈ 0.224.
        var w = p.First(q => q.name == "layers.1.weight").parameter;
        double std = w.std().ToDouble();
        Assert.InRange(std, 0.18, 0.27);
    }
}
