using System.Diagnostics;
using HpcLearn.Tasks.Pde;
using Xunit;
using Xunit.Abstractions;

namespace HpcLearn.Tests.Tasks.Pde;

/// <summary>The Hopf–Cole reference against what Burgers' problem demands of it.</summary>
public sealed class BurgersExactTests(ITestOutputHelper output)
{
    private static readonly BurgersExact Exact = new();
    private static readonly double[] Times = [0.01, 0.1, 0.25, 0.5, 1.6037 / Math.PI, 0.75, 0.99, 1.0];

    private static void Near(double expected, double actual, double tolerance) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected:R}, got {actual:R} (tolerance {tolerance})");

    [Fact]
    public void Initial_condition_is_minus_sin_pi_x()
    {
        for (double x = -1; x <= 1; x += 0.01)
            Near(-Math.Sin(Math.PI * x), Exact.U(x, 0), 1e-15);
        // Just after t = 0 the quadrature agrees with the initial condition (continuity at t = 0).
        for (double x = -0.9; x <= 0.9; x += 0.05)
            Near(-Math.Sin(Math.PI * x), Exact.U(x, 1e-9), 1e-6);
    }

    [Fact]
    public void Boundaries_are_zero()
    {
        foreach (double t in Times)
        {
            Assert.InRange(Exact.U(-1, t), -1e-10, 1e-10);
            Assert.InRange(Exact.U(1, t), -1e-10, 1e-10);
        }
    }

    [Fact]
    public void Solution_is_odd_in_x()
    {
        foreach (double t in Times)
            for (double x = 0; x <= 1; x += 0.0371)
                Near(-Exact.U(x, t), Exact.U(-x, t), 1e-12);
    }

    /// <summary>
    /// Steepest slope at the shock, the classical value −152.00516 (Basdevant et al. 1986);
    /// the acceptance test of this reference.
    /// </summary>
    [Fact]
    public void Slope_at_the_shock_is_the_classical_value()
    {
        double slope = Exact.Du_dx(0, 1.6037 / Math.PI);
        output.WriteLine($"du/dx(0, 1.6037/pi) = {slope:R}");
        Assert.InRange(slope, -152.015, -151.995);
        // Quadrature converged: a grid four times finer agrees to 1e-8.
        Near(slope, new BurgersExact(points: 16001).Du_dx(0, 1.6037 / Math.PI), 1e-8);
    }

    [Fact]
    public void Analytic_slope_matches_finite_differences()
    {
        const double h = 1e-5;
        foreach (double t in Times)
            foreach (double x in new[] { -0.8, -0.3, 0.02, 0.4, 0.9 })
            {
                double fd = (Exact.U(x + h, t) - Exact.U(x - h, t)) / (2 * h);
                double analytic = Exact.Du_dx(x, t);
                Assert.True(Math.Abs(fd - analytic) <= 1e-5 * (1 + Math.Abs(analytic)), $"x={x} t={t}: {analytic} vs {fd}");
            }
    }

    /// <summary>
    /// u_t + u u_x − ν u_xx by fourth-order central differences (h = 1e-3 in x and t) away from
    /// the shock (|x| ≥ 0.2, 0.05 ≤ t ≤ 0.95). Truncation error is O(h⁴·u⁽⁵⁾) ≈ 1e-12·O(10³) and
    /// rounding O(ε/h²) ≈ 1e-10, so the bound is 1e-6 relative to the size of the terms,
    /// |u_t| + |u u_x| + ν|u_xx|, plus 1e-8 absolute: a wrong ν or a sign error gives O(1).
    /// </summary>
    [Fact]
    public void Pde_residual_is_small_away_from_the_shock()
    {
        const double h = 1e-3;
        double worst = 0;
        for (double t = 0.05; t <= 0.95; t += 0.1)
            for (double x = -0.95; x <= 0.95; x += 0.05)
            {
                if (Math.Abs(x) < 0.2) continue;
                double U(double dx, double dt) => Exact.U(x + dx, t + dt);
                double ut = (-U(0, 2 * h) + 8 * U(0, h) - 8 * U(0, -h) + U(0, -2 * h)) / (12 * h);
                double ux = (-U(2 * h, 0) + 8 * U(h, 0) - 8 * U(-h, 0) + U(-2 * h, 0)) / (12 * h);
                double uxx = (-U(2 * h, 0) + 16 * U(h, 0) - 30 * U(0, 0) + 16 * U(-h, 0) - U(-2 * h, 0)) / (12 * h * h);
                double u = U(0, 0);
                double residual = ut + u * ux - Exact.Nu * uxx;
                double scale = Math.Abs(ut) + Math.Abs(u * ux) + Exact.Nu * Math.Abs(uxx);
                worst = Math.Max(worst, Math.Abs(residual) / (scale + 1e-300));
                Assert.True(Math.Abs(residual) <= 1e-6 * scale + 1e-8, $"x={x} t={t}: residual {residual}, scale {scale}");
            }
        output.WriteLine($"worst relative residual {worst:E2}");
    }

    [Fact]
    public void Standard_grid_is_256_by_100_and_matches_pointwise()
    {
        var (xs, ts) = BurgersExact.StandardGrid();
        Assert.Equal(256, xs.Length);
        Assert.Equal(100, ts.Length);
        Assert.Equal(-1, xs[0]);
        Assert.Equal(1, xs[^1]);
        Assert.Equal(0, ts[0]);
        Near(0.99, ts[^1], 1e-15);
        var watch = Stopwatch.StartNew();
        var u = Exact.Grid(xs, ts);
        watch.Stop();
        output.WriteLine($"256 x 100 grid in {watch.Elapsed.TotalSeconds:F2} s on {Environment.ProcessorCount} cores");
        Assert.All(u.Cast<double>(), v => Assert.True(double.IsFinite(v) && Math.Abs(v) <= 1 + 1e-12));
        foreach (var (i, j) in new[] { (0, 0), (17, 3), (128, 50), (200, 99), (255, 42) })
            Assert.Equal(Exact.U(xs[i], ts[j]), u[i, j]);
    }
}
