using HpcLearn.Evaluation;
using Xunit;

namespace HpcLearn.Tests.Evaluation;

public class CalibrationTests
{
    private const double Tol = 1e-12;

    // Confidences and outcomes, chosen away from bin edges (15 bins are 1/15 = 0.0667 wide):
    //   0.90 right  (bin 13)   0.70 wrong (bin 10)   0.62 right (bin 9)
    //   0.88 right  (bin 13)   1.00 wrong (bin 14: the last bin holds 1.0)
    private static readonly int[] Truth = [0, 0, 0, 1, 1];
    private static readonly double[][] Probabilities =
    [
        [0.9, 0.1],
        [0.3, 0.7],
        [0.62, 0.38],
        [0.12, 0.88],
        [1.0, 0.0],
    ];

    [Fact]
    public void Ece_and_mce_match_the_hand_computed_equal_width_bins()
    {
        var c = Calibration.Compute(Truth, Probabilities);
        // bin 9: |1 − 0.62| = 0.38; bin 10: |0 − 0.7| = 0.7; bin 13: conf 0.89, acc 1 → 0.11 (2 rows);
        // bin 14: |0 − 1| = 1. ECE = (0.38 + 0.7 + 2·0.11 + 1) / 5 = 0.46; MCE = 1.
        Assert.Equal(0.46, c.Ece, Tol);
        Assert.Equal(1.0, c.Mce, Tol);
        Assert.Equal(0.6, c.Accuracy, Tol);
    }

    [Fact]
    public void Reliability_bins_hold_counts_means_and_NaN_when_empty()
    {
        var bins = Calibration.Compute(Truth, Probabilities).Bins;
        Assert.Equal(15, bins.Length);
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 2, 1], bins.Select(b => b.Count));
        Assert.Equal(13.0 / 15, bins[13].Lower, Tol);
        Assert.Equal(14.0 / 15, bins[13].Upper, Tol);
        Assert.Equal(0.89, bins[13].Confidence, Tol);
        Assert.Equal(1.0, bins[13].Accuracy, Tol);
        Assert.Equal(1.0, bins[14].Upper, Tol);
        Assert.True(double.IsNaN(bins[0].Confidence));
        Assert.True(double.IsNaN(bins[0].Accuracy));
    }

    [Fact]
    public void Adaptive_ece_uses_equal_mass_bins()
    {
        var c = Calibration.Compute(Truth, Probabilities, bins: 3);
        // Sorted: 0.62 r, 0.70 w | 0.88 r, 0.90 r | 1.00 w (sizes 2, 2, 1: larger bins first).
        // 2/5·|0.5 − 0.66| + 2/5·|1 − 0.89| + 1/5·|0 − 1| = 0.064 + 0.044 + 0.2 = 0.308
        Assert.Equal(0.308, c.AdaptiveEce, Tol);
        // Equal width, 3 bins: [1/3, 2/3) holds 0.62 r → 0.38; [2/3, 1] holds the other four:
        // conf 3.48/4 = 0.87, acc 0.5 → 0.37. ECE = (0.38 + 4·0.37) / 5 = 0.372, MCE = 0.38.
        Assert.Equal(0.372, c.Ece, Tol);
        Assert.Equal(0.38, c.Mce, Tol);
    }

    [Fact]
    public void Adaptive_ece_with_one_row_per_bin_is_the_mean_gap()
    {
        // 5 rows, 15 bins: min(15, 5) = 5 bins of one row each.
        // (0.38 + 0.7 + 0.1 + 0.12 + 1) / 5 = 0.46
        Assert.Equal(0.46, Calibration.Compute(Truth, Probabilities).AdaptiveEce, Tol);
    }

    [Fact]
    public void Brier_and_nll_match_hand_computed_values()
    {
        var c = Calibration.Compute(Truth, Probabilities);
        // Σₖ (pₖ − yₖ)² per row: 0.02, 0.98, 0.2888, 0.0288, 2 → sum 3.3176, mean 0.66352
        Assert.Equal(0.66352, c.Brier, Tol);
        // −ln of 0.9, 0.3, 0.62, 0.88 and the clipped 1e-15 for the confident miss
        double nll = -(Math.Log(0.9) + Math.Log(0.3) + Math.Log(0.62) + Math.Log(0.88) + Math.Log(1e-15)) / 5;
        Assert.Equal(nll, c.Nll, 1e-9);
    }

    [Fact]
    public void A_perfectly_calibrated_set_has_zero_ece()
    {
        // Confidence 0.75 on four rows, three right.
        double[][] p = [[0.75, 0.25], [0.75, 0.25], [0.75, 0.25], [0.75, 0.25]];
        var c = Calibration.Compute([0, 0, 0, 1], p);
        Assert.Equal(0, c.Ece, Tol);
        Assert.Equal(0, c.Mce, Tol);
        // Equal-mass bins of one row each see |1 − 0.75| three times and |0 − 0.75| once: 0.375.
        // One bin of all four rows sees the calibration.
        Assert.Equal(0.375, c.AdaptiveEce, Tol);
        Assert.Equal(0, Calibration.Compute([0, 0, 0, 1], p, bins: 1).AdaptiveEce, Tol);
    }

    [Fact]
    public void Regression_asked_for_calibration_is_a_clear_user_error()
    {
        var e = Assert.Throws<UserError>(() => Calibration.RequireClassification("regression"));
        Assert.Equal(
            "calibration applies to classification only, but this task is regression: it predicts numbers, " +
            "not class probabilities, so there is no confidence to calibrate. " +
            "Remove train.calibrate, or predict a categorical target (data.kind: classification).",
            e.Message);
        Calibration.RequireClassification("Classification");
    }

    [Fact]
    public void Zero_bins_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => Calibration.Compute(Truth, Probabilities, bins: 0));
        Assert.StartsWith("bins must be at least 1, got 0.", e.Message);
    }
}
