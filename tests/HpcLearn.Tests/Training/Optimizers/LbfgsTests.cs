using HpcLearn.Training.Optimizers;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

using HpcLearn.Runs;

namespace HpcLearn.Tests.Training.Optimizers;

/// <summary>
/// L-BFGS with strong-Wolfe line search on problems with known minimisers. Constants enter the
/// losses as tensors, never as implicit Scalars (docs/training.md).
/// </summary>
public sealed class LbfgsTests(ITestOutputHelper output)
{
    private static Parameter Param(ScalarType dtype, params double[] values) => new(tensor(values, dtype));

    /// <summary>f = (1 − a)² + 100 (b − a²)², minimum 0 at (1, 1).</summary>
    private static Func<Tensor> Rosenbrock(Parameter p)
    {
        var one = tensor(1.0, p.dtype).DetachFromDisposeScope();
        var hundred = tensor(100.0, p.dtype).DetachFromDisposeScope();
        return () =>
        {
            p.grad?.zero_();
            var (a, b) = (p[0], p[1]);
            var loss = (one - a).square() + hundred * (b - a.square()).square();
            loss.backward();
            return loss;
        };
    }

    [Fact]
    public void Rosenbrock_float64_reaches_the_minimum()
    {
        using var scope = NewDisposeScope();
        var p = Param(ScalarType.Float64, -1.2, 1.0);
        var result = new Lbfgs([p], toleranceGrad: 1e-10, toleranceChange: 0).Minimize(Rosenbrock(p), maxIterations: 100, maxEvaluations: 1000);
        output.WriteLine($"{result}; x = ({p[0].ToDouble():R}, {p[1].ToDouble():R})");
        Assert.True(result.Converged, result.ToString());
        Assert.True(result.Iterations < 100);
        Assert.InRange(p[0].ToDouble(), 1 - 1e-6, 1 + 1e-6);
        Assert.InRange(p[1].ToDouble(), 1 - 1e-6, 1 + 1e-6);
    }

    [Fact]
    public void Rosenbrock_float32_reaches_the_minimum_to_single_precision()
    {
        using var scope = NewDisposeScope();
        var p = Param(ScalarType.Float32, -1.2, 1.0);
        var result = new Lbfgs([p]).Minimize(Rosenbrock(p), maxIterations: 200, maxEvaluations: 1000);
        output.WriteLine($"{result}; x = ({p[0].ToDouble():R}, {p[1].ToDouble():R})");
        Assert.Equal(ScalarType.Float32, p.dtype);
        Assert.InRange(p[0].ToDouble(), 1 - 1e-3, 1 + 1e-3);
        Assert.InRange(p[1].ToDouble(), 1 - 2e-3, 1 + 2e-3);
    }

    [Fact]
    public void A_run_interrupted_saved_and_loaded_continues_exactly_as_the_uninterrupted_one()
    {
        using var scope = NewDisposeScope();
        var whole = Param(ScalarType.Float64, -1.2, 1.0);
        var straight = new Lbfgs([whole], historySize: 5, toleranceGrad: 1e-12, toleranceChange: 0).Minimize(Rosenbrock(whole), maxIterations: 25, maxEvaluations: 1000);

        var part = Param(ScalarType.Float64, -1.2, 1.0);
        var lbfgs = new Lbfgs([part], historySize: 5, toleranceGrad: 1e-12, toleranceChange: 0);
        byte[] saved;
        double[] at;
        using (var state = new LbfgsState())
        {
            var first = lbfgs.Minimize(Rosenbrock(part), 25, 1000, state, s => s.Iterations == 10);
            Assert.Equal(LbfgsStopReason.Interrupted, first.Reason);
            Assert.Equal(10, first.Iterations);
            Assert.Equal(5, state.Pairs);
            using var buffer = new MemoryStream();
            using (var w = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) state.Save(w);
            saved = buffer.ToArray();
            at = part.data<double>().ToArray();
        }
        // A fresh parameter at the saved point and the state read back, as after a requeue.
        var resumed = Param(ScalarType.Float64, at);
        using var loaded = LbfgsState.Load(new BinaryReader(new MemoryStream(saved)), 2, ScalarType.Float64);
        var rest = new Lbfgs([resumed], historySize: 5, toleranceGrad: 1e-12, toleranceChange: 0).Minimize(Rosenbrock(resumed), 25, 1000, loaded);

        output.WriteLine($"straight {straight}; resumed {rest}");
        Assert.Equal(straight.Iterations, rest.Iterations);
        Assert.Equal(straight.Evaluations, rest.Evaluations);
        Assert.Equal(straight.Loss, rest.Loss);
        Assert.Equal(whole.data<double>().ToArray(), resumed.data<double>().ToArray());
    }

    /// <summary>½xᵀAx − bᵀx with A = Q diag(λ) Qᵀ, λ log-spaced over [1, 100] (condition number 100).</summary>
    [Fact]
    public void Convex_quadratic_reaches_the_solution_of_Ax_equals_b_within_3n_iterations()
    {
        using var scope = NewDisposeScope();
        const int n = 10;
        var g = new Generator(7);
        var (q, _) = linalg.qr(randn([n, n], dtype: ScalarType.Float64, generator: g));
        var lambda = logspace(0, 2, n, dtype: ScalarType.Float64);
        var a = q.mm(diag(lambda)).mm(q.t());
        var b = randn([n, 1], dtype: ScalarType.Float64, generator: g);
        var solution = linalg.solve(a, b).squeeze(1);
        var half = tensor(0.5, ScalarType.Float64);
        var x = new Parameter(zeros(n, ScalarType.Float64));
        Tensor Closure()
        {
            x.grad?.zero_();
            var column = x.unsqueeze(1);
            var loss = half * column.t().mm(a.mm(column)).squeeze() - b.t().mm(column).squeeze();
            loss.backward();
            return loss;
        }
        // The loss itself is only good to ~1e-16 absolute, which limits |x − x*| to ~1e-8 by any
        // line search. Find the fewest iterations that reach 1e-8 (each run from x = 0).
        for (int iterations = 1; iterations <= 3 * n; iterations++)
        {
            using (no_grad()) x.zero_();
            var result = new Lbfgs([x], toleranceGrad: 1e-9, toleranceChange: 0).Minimize(Closure, iterations, maxEvaluations: 1000);
            double error = (x - solution).abs().max().ToDouble();
            if (error > 1e-8) continue;
            output.WriteLine($"{result}; max |x - A^-1 b| = {error:E2}");
            return;
        }
        Assert.Fail($"not within 1e-8 of A^-1 b after {3 * n} iterations");
    }

    [Fact]
    public void Loss_that_is_always_NaN_stops_at_once_with_a_reason()
    {
        using var scope = NewDisposeScope();
        var p = Param(ScalarType.Float64, 1.0, 2.0);
        var nan = tensor(double.NaN, ScalarType.Float64);
        var result = new Lbfgs([p]).Minimize(() =>
        {
            p.grad?.zero_();
            var loss = (p * nan).sum();
            loss.backward();
            return loss;
        }, maxIterations: 50);
        Assert.Equal(LbfgsStopReason.NonFiniteLoss, result.Reason);
        Assert.False(result.Converged);
        Assert.Equal(1, result.Evaluations);
    }

    /// <summary>Σ(x − 3)² + 0·log(2 − x): NaN beyond x = 2, so full steps towards 3 land in NaN.</summary>
    [Fact]
    public void Loss_that_turns_NaN_along_the_way_stops_at_a_finite_point()
    {
        using var scope = NewDisposeScope();
        var p = Param(ScalarType.Float64, 0.0, 0.5);
        var (two, three, zero) = (tensor(2.0, ScalarType.Float64), tensor(3.0, ScalarType.Float64), tensor(0.0, ScalarType.Float64));
        var result = new Lbfgs([p]).Minimize(() =>
        {
            p.grad?.zero_();
            var loss = (p - three).square().sum() + zero * (two - p).log().sum();
            loss.backward();
            return loss;
        }, maxIterations: 200, maxEvaluations: 2000);
        output.WriteLine($"{result}; x = ({p[0].ToDouble():R}, {p[1].ToDouble():R})");
        Assert.True(double.IsFinite(result.Loss) && result.Loss < 9 + 6.25);
        Assert.True(p.isfinite().all().ToBoolean() && p.lt(two).all().ToBoolean());
        Assert.True(result.Evaluations <= 2000 && result.Iterations <= 200);
    }

    /// <summary>Moré and Thuente's (1994) line-search test functions 1–3 with their (c₁, c₂) = (1e-3, 0.1) and PyTorch's (1e-4, 0.9).</summary>
    [Theory]
    [InlineData(1, 1e-3, 0.1)]
    [InlineData(2, 1e-3, 0.1)]
    [InlineData(3, 1e-3, 0.1)]
    [InlineData(1, 1e-4, 0.9)]
    [InlineData(2, 1e-4, 0.9)]
    [InlineData(3, 1e-4, 0.9)]
    public void Line_search_step_satisfies_both_strong_Wolfe_conditions(int function, double c1, double c2)
    {
        Func<double, (double F, double G)> phi = function switch
        {
            1 => t => (-t / (t * t + 2), (t * t - 2) / Math.Pow(t * t + 2, 2)),
            2 => t => (Math.Pow(t + 0.004, 5) - 2 * Math.Pow(t + 0.004, 4), 5 * Math.Pow(t + 0.004, 4) - 8 * Math.Pow(t + 0.004, 3)),
            _ => MoreThuente3,
        };
        var (f0, g0) = phi(0);
        foreach (double first in new[] { 1e-3, 1e-1, 1, 10, 1e3 })
        {
            var start = new LinePoint<int>(0, f0, g0, 0);
            var result = StrongWolfe.Search(t => { var (f, g) = phi(t); return new LinePoint<int>(t, f, g, 0); },
                start, first, directionMaxAbs: 1, c1, c2, toleranceChange: 1e-12, maxEvaluations: 50);
            var (step, loss, slope) = (result.Point.Step, result.Point.Loss, result.Point.Slope);
            output.WriteLine($"phi{function} from t={first}: t={step:G6} after {result.Evaluations} evaluations");
            Assert.True(step > 0, $"from {first}: no step");
            Assert.True(loss <= f0 + c1 * step * g0, $"from {first}: t={step} fails sufficient decrease");
            Assert.True(Math.Abs(slope) <= c2 * Math.Abs(g0), $"from {first}: t={step} fails curvature, slope {slope}");
        }
    }

    private static (double, double) MoreThuente3(double t)
    {
        const double beta = 0.01, l = 39;
        double f0 = t <= 1 - beta ? 1 - t : t >= 1 + beta ? t - 1 : (t - 1) * (t - 1) / (2 * beta) + beta / 2;
        double g0 = t <= 1 - beta ? -1 : t >= 1 + beta ? 1 : (t - 1) / beta;
        double k = 2 * (1 - beta) / (l * Math.PI);
        return (f0 + k * Math.Sin(l * Math.PI * t / 2), g0 + k * l * Math.PI / 2 * Math.Cos(l * Math.PI * t / 2));
    }
}
