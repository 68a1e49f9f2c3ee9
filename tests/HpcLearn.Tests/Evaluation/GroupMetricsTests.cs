using HpcLearn.Evaluation;
using Xunit;

namespace HpcLearn.Tests.Evaluation;

public class GroupMetricsTests
{
    private const double Tol = 1e-12;
    private static readonly string[] NoYes = ["no", "yes"];

    // row  group  truth  p(yes)  predicted
    //  0   A      no     0.2     no
    //  1   A      no     0.7     yes   (false positive)
    //  2   A      yes    0.9     yes   (true positive)
    //  3   A      no     0.45    no
    //  4   B      yes    0.3     no    (false negative)
    //  5   B      no     0.1     no
    //  6   B      yes    0.8     yes   (true positive)
    //  7   (none) yes    0.6     yes
    // Four "no" and four "yes": a tie, so the positive class is the second one, "yes".
    private static readonly string?[] Groups = ["A", "A", "A", "A", "B", "B", "B", null];
    private static readonly int[] Truth = [0, 0, 1, 0, 1, 0, 1, 1];
    private static readonly double[][] Probabilities =
        new[] { 0.2, 0.7, 0.9, 0.45, 0.3, 0.1, 0.8, 0.6 }.Select(p => new[] { 1 - p, p }).ToArray();

    [Fact]
    public void Groups_are_ordered_largest_first_with_missing_as_its_own_small_group()
    {
        var report = GroupMetrics.Compute("sex", Groups, Truth, Probabilities, NoYes, smallGroupThreshold: 2);
        Assert.Equal("sex", report.Column);
        Assert.Equal(["A", "B", "missing"], report.Rows.Select(r => r.Name));
        Assert.Equal([4, 3, 1], report.Rows.Select(r => r.Size));
        Assert.Equal([false, false, true], report.Rows.Select(r => r.Small));
        Assert.Equal(2, report.SmallGroupThreshold);
    }

    [Fact]
    public void Per_group_metrics_match_hand_computed_values()
    {
        var report = GroupMetrics.Compute("sex", Groups, Truth, Probabilities, NoYes, smallGroupThreshold: 2);
        var a = report.Rows[0].Metrics;
        var b = report.Rows[1].Metrics;
        Assert.Equal(["accuracy", "macro_f1", "log_loss"], a.Keys);
        Assert.Equal(0.75, a["accuracy"], Tol);
        // A, "no": TP 2, FP 0, FN 1 → 4/5; "yes": TP 1, FP 1, FN 0 → 2/3; mean 11/15
        Assert.Equal(11.0 / 15, a["macro_f1"], Tol);
        Assert.Equal(-(Math.Log(0.8) + Math.Log(0.3) + Math.Log(0.9) + Math.Log(0.55)) / 4, a["log_loss"], Tol);
        Assert.Equal(2.0 / 3, b["accuracy"], Tol);
        // B, "no": TP 1, FP 1, FN 0 → 2/3; "yes": TP 1, FP 0, FN 1 → 2/3
        Assert.Equal(2.0 / 3, b["macro_f1"], Tol);
        Assert.Equal(-(Math.Log(0.3) + Math.Log(0.9) + Math.Log(0.8)) / 3, b["log_loss"], Tol);
        Assert.Equal(1.0, report.Rows[2].Metrics["accuracy"], Tol);
    }

    [Fact]
    public void Largest_gap_leaves_out_the_small_group()
    {
        var report = GroupMetrics.Compute("sex", Groups, Truth, Probabilities, NoYes, smallGroupThreshold: 2);
        var rows = report.Rows;
        // A vs B only: the "missing" group's accuracy of 1 would otherwise make the gap 1/3.
        Assert.Equal(0.75 - 2.0 / 3, report.LargestGap["accuracy"], Tol);
        Assert.Equal(11.0 / 15 - 2.0 / 3, report.LargestGap["macro_f1"], Tol);
        Assert.Equal(Math.Abs(rows[0].Metrics["log_loss"] - rows[1].Metrics["log_loss"]), report.LargestGap["log_loss"], Tol);
    }

    [Fact]
    public void Binary_rates_and_fairness_gaps_match_hand_computed_values()
    {
        var report = GroupMetrics.Compute("sex", Groups, Truth, Probabilities, NoYes, smallGroupThreshold: 2);
        Assert.Equal("yes", report.PositiveClass);
        var (a, b, missing) = (report.Rows[0], report.Rows[1], report.Rows[2]);
        // A: predicted yes 2/4; TPR 1/1; FPR 1/3. B: predicted yes 1/3; TPR 1/2; FPR 0/1.
        Assert.Equal(0.5, a.PositiveRate!.Value, Tol);
        Assert.Equal(1.0, a.TruePositiveRate!.Value, Tol);
        Assert.Equal(1.0 / 3, a.FalsePositiveRate!.Value, Tol);
        Assert.Equal(1.0 / 3, b.PositiveRate!.Value, Tol);
        Assert.Equal(0.5, b.TruePositiveRate!.Value, Tol);
        Assert.Equal(0.0, b.FalsePositiveRate!.Value, Tol);
        // The missing group has no negative row, so its FPR is undefined.
        Assert.Equal(1.0, missing.TruePositiveRate!.Value, Tol);
        Assert.Null(missing.FalsePositiveRate);
        // Parity: 1/2 − 1/3 = 1/6. Odds: max(TPR gap 1/2, FPR gap 1/3) = 1/2.
        Assert.Equal(1.0 / 6, report.DemographicParityDifference!.Value, Tol);
        Assert.Equal(0.5, report.EqualizedOddsDifference!.Value, Tol);
    }

    [Fact]
    public void Positive_class_is_the_minority_of_the_truth()
    {
        // "no" is the minority here (1 of 3), so it is the positive class even though it is index 0.
        double[][] p = [[0.8, 0.2], [0.3, 0.7], [0.6, 0.4]];
        var report = GroupMetrics.Compute("g", ["x", "x", "y"], [0, 1, 1], p, NoYes);
        Assert.Equal("no", report.PositiveClass);
        // x predicts no, yes → positive rate 1/2; y predicts no → 1
        Assert.Equal([0.5, 1.0], report.Rows.Select(r => r.PositiveRate!.Value));
    }

    [Fact]
    public void Every_group_is_small_so_gaps_are_over_all_groups()
    {
        // Default threshold 30: all three groups are small, none is left out.
        var report = GroupMetrics.Compute("sex", Groups, Truth, Probabilities, NoYes);
        Assert.All(report.Rows, r => Assert.True(r.Small));
        Assert.Equal(1 - 2.0 / 3, report.LargestGap["accuracy"], Tol);
        // positive rates 1/2, 1/3, 1 → 2/3
        Assert.Equal(2.0 / 3, report.DemographicParityDifference!.Value, Tol);
    }

    [Fact]
    public void Multi_class_tasks_have_no_binary_measures()
    {
        double[][] p = [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6]];
        var report = GroupMetrics.Compute("g", ["x", "y", "y"], [0, 1, 0], p, ["a", "b", "c"]);
        Assert.Null(report.PositiveClass);
        Assert.Null(report.DemographicParityDifference);
        Assert.Null(report.EqualizedOddsDifference);
        Assert.All(report.Rows, r => Assert.Null(r.PositiveRate));
        // y first (2 rows): one right of two
        Assert.Equal(0.5, report.Rows[0].Metrics["accuracy"], Tol);
    }

    [Fact]
    public void Regression_groups_with_a_single_example_work_and_are_flagged_small()
    {
        // a: truth 1, 2, predicted 1, 2 → RMSE 0, MAE 0, R² 1.
        // b: one row, truth 3, predicted 5 → RMSE 2, MAE 2, R² 0 (constant truth, imperfect).
        // Only a is not small, fewer than two, so the gaps are over both groups.
        var report = GroupMetrics.Compute("region", ["a", "a", "b"], [1.0, 2, 3], [1.0, 2, 5], smallGroupThreshold: 2);
        Assert.Equal(["a", "b"], report.Rows.Select(r => r.Name));
        Assert.Equal([false, true], report.Rows.Select(r => r.Small));
        Assert.Equal(["rmse", "mae", "r2"], report.Rows[1].Metrics.Keys);
        Assert.Equal(2.0, report.LargestGap["rmse"], Tol);
        Assert.Equal(2.0, report.LargestGap["mae"], Tol);
        Assert.Equal(1.0, report.LargestGap["r2"], Tol);
        Assert.Null(report.PositiveClass);
        Assert.Null(report.DemographicParityDifference);
        Assert.Null(report.EqualizedOddsDifference);
        Assert.Null(report.Rows[0].TruePositiveRate);
    }

    [Fact]
    public void Group_values_must_match_the_rows()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            GroupMetrics.Compute("g", ["a"], [1.0, 2], [1.0, 2]));
        Assert.StartsWith("truth has 2 rows but groups has 1", e.Message);
    }

    [Fact]
    public void Class_names_must_match_the_probabilities()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            GroupMetrics.Compute("g", ["a", "b"], [0, 1], [[0.5, 0.5], [0.5, 0.5]], ["only"]));
        Assert.StartsWith("classNames has 1 names but the probabilities have 2 classes.", e.Message);
    }
}
