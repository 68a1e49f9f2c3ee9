using HpcLearn.Evaluation;
using Xunit;

namespace HpcLearn.Tests.Evaluation;

public class RegressionMetricsTests
{
    private const double Tol = 1e-12;

    // errors 0.5, -0.5, 0, -1; truth mean 2.875
    private static readonly double[] Truth = [3, -0.5, 2, 7];
    private static readonly double[] Predicted = [2.5, 0.0, 2, 8];

    [Fact]
    public void Rmse_is_the_root_of_the_mean_squared_error()
    {
        // (0.25 + 0.25 + 0 + 1) / 4 = 0.375
        Assert.Equal(Math.Sqrt(0.375), RegressionMetrics.Rmse(Truth, Predicted), Tol);
    }

    [Fact]
    public void Mae_is_the_mean_absolute_error()
    {
        Assert.Equal(0.5, RegressionMetrics.Mae(Truth, Predicted), Tol);
    }

    [Fact]
    public void R2_is_one_minus_residual_over_total_sum_of_squares()
    {
        // SS_res = 1.5; SS_tot = 0.125² + 3.375² + 0.875² + 4.125² = 29.1875
        Assert.Equal(1 - 1.5 / 29.1875, RegressionMetrics.R2(Truth, Predicted), Tol);
    }

    [Fact]
    public void R2_of_a_perfect_prediction_is_one()
    {
        Assert.Equal(1.0, RegressionMetrics.R2([1, 2, 3], [1, 2, 3]));
    }

    [Fact]
    public void R2_with_constant_truth_is_one_if_perfect_else_zero()
    {
        // 0.1 three times: the computed mean is off by rounding, so SS_tot must not be taken from it.
        Assert.Equal(1.0, RegressionMetrics.R2([0.1, 0.1, 0.1], [0.1, 0.1, 0.1]));
        Assert.Equal(0.0, RegressionMetrics.R2([0.1, 0.1, 0.1], [0.1, 0.2, 0.1]));
    }

    [Fact]
    public void Compute_gives_rmse_mae_r2_in_order()
    {
        var m = RegressionMetrics.Compute(Truth, Predicted);
        Assert.Equal(["rmse", "mae", "r2"], m.Keys);
        Assert.Equal(0.6123724356957945, m["rmse"], Tol);
        Assert.Equal(0.5, m["mae"], Tol);
        Assert.Equal(0.9486081370449679, m["r2"], Tol);
    }

    [Fact]
    public void Mismatched_lengths_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => RegressionMetrics.Rmse([1, 2], [1]));
        Assert.Equal("truth has 2 rows but predicted has 1; they must have one entry per row. (Parameter 'predicted')", e.Message);
        Assert.Throws<ArgumentException>(() => RegressionMetrics.Mae([1], [1, 2]));
        Assert.Throws<ArgumentException>(() => RegressionMetrics.R2([1, 2], [1]));
    }

    [Fact]
    public void Empty_arrays_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => RegressionMetrics.Compute([], []));
        Assert.Equal("truth is empty; a metric needs at least one row. (Parameter 'truth')", e.Message);
    }
}
