using HpcLearn.Evaluation;
using Xunit;

namespace HpcLearn.Tests.Evaluation;

public class ClassificationMetricsTests
{
    private const double Tol = 1e-12;

    // Three classes in use out of four; class 2 is never predicted, class 3 never occurs.
    private static readonly int[] Truth = [0, 0, 0, 1, 1, 2];
    private static readonly int[] Predicted = [0, 0, 1, 1, 0, 1];

    [Fact]
    public void Accuracy_is_the_fraction_of_matching_rows()
    {
        Assert.Equal(3.0 / 5, ClassificationMetrics.Accuracy([0, 1, 2, 1, 0], [0, 2, 2, 1, 1]), Tol);
    }

    [Fact]
    public void MacroF1_matches_the_hand_computed_per_class_scores()
    {
        // class 0: TP 2, FP 1 (row 4), FN 1 (row 2) -> P 2/3, R 2/3, F1 2/3
        // class 1: TP 1, FP 2 (rows 2, 5), FN 1 (row 4) -> P 1/3, R 1/2, F1 2·(1/6)/(5/6) = 2/5
        // class 2: never predicted -> P 0 by convention (zero_division=0), R 0/1, F1 0
        // class 3: absent from truth and predictions -> skipped, not averaged in as 0
        // macro = (2/3 + 2/5 + 0) / 3 = 16/45
        Assert.Equal(16.0 / 45, ClassificationMetrics.MacroF1(Truth, Predicted, classCount: 4), Tol);
    }

    [Fact]
    public void MacroF1_is_one_for_perfect_predictions()
    {
        Assert.Equal(1.0, ClassificationMetrics.MacroF1([2, 0, 2], [2, 0, 2], classCount: 5), Tol);
    }

    [Fact]
    public void ConfusionMatrix_has_truth_rows_and_predicted_columns()
    {
        int[,] expected =
        {
            { 2, 1, 0, 0 },
            { 1, 1, 0, 0 },
            { 0, 1, 0, 0 },
            { 0, 0, 0, 0 },
        };
        Assert.Equal(expected, ClassificationMetrics.ConfusionMatrix(Truth, Predicted, classCount: 4));
    }

    [Fact]
    public void LogLoss_is_the_mean_negative_log_of_the_true_class()
    {
        double[][] p = [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4]];
        // -(ln 0.7 + ln 0.8 + ln 0.4) / 3 = (0.356675 + 0.223144 + 0.916291) / 3
        Assert.Equal(0.49870307570903244, ClassificationMetrics.LogLoss([0, 1, 2], p), Tol);
    }

    [Fact]
    public void LogLoss_renormalises_each_row()
    {
        // [2, 2] becomes [0.5, 0.5]: loss ln 2.
        Assert.Equal(Math.Log(2), ClassificationMetrics.LogLoss([0], new double[][] { [2, 2] }), Tol);
    }

    [Fact]
    public void LogLoss_clips_a_zero_probability_to_1e_minus_15()
    {
        // -ln(1e-15) = 15 ln 10, finite instead of infinity.
        Assert.Equal(34.538776394910684, ClassificationMetrics.LogLoss([0], new double[][] { [0, 1] }), Tol);
        Assert.Equal(34.538776394910684, ClassificationMetrics.LogLoss([0], new float[,] { { 0f, 1f } }), Tol);
    }

    [Fact]
    public void LogLoss_of_floats_matches_doubles()
    {
        var floats = new float[,] { { 0.25f, 0.75f }, { 0.5f, 0.5f } };
        // -(ln 0.25 + ln 0.5) / 2, exact in float
        Assert.Equal(-(Math.Log(0.25) + Math.Log(0.5)) / 2, ClassificationMetrics.LogLoss([0, 1], floats), Tol);
    }

    [Fact]
    public void Compute_uses_the_argmax_with_ties_to_the_lowest_class()
    {
        double[][] p = [[0.5, 0.5], [0.2, 0.8], [0.9, 0.1]];
        var m = ClassificationMetrics.Compute([1, 1, 0], p);
        Assert.Equal(["accuracy", "macro_f1", "log_loss"], m.Keys);
        // predictions [0, 1, 0]: two of three right
        Assert.Equal(2.0 / 3, m["accuracy"], Tol);
        // class 0: TP 1, FP 1, FN 0 -> 2/3; class 1: TP 1, FP 0, FN 1 -> 2/3
        Assert.Equal(2.0 / 3, m["macro_f1"], Tol);
        Assert.Equal(-(Math.Log(0.5) + Math.Log(0.8) + Math.Log(0.9)) / 3, m["log_loss"], Tol);
    }

    [Fact]
    public void Mismatched_lengths_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => ClassificationMetrics.Accuracy([0, 1], [0]));
        Assert.Equal("truth has 2 rows but predicted has 1; they must have one entry per row. (Parameter 'predicted')", e.Message);
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.MacroF1([0, 1], [0], 2));
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.LogLoss([0, 1], new double[][] { [1.0] }));
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.LogLoss([0, 1], new float[1, 2]));
    }

    [Fact]
    public void Empty_arrays_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => ClassificationMetrics.Accuracy([], []));
        Assert.Equal("truth is empty; a metric needs at least one row. (Parameter 'truth')", e.Message);
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.ConfusionMatrix([], [], 2));
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute([], []));
    }

    [Fact]
    public void Labels_outside_the_classes_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => ClassificationMetrics.MacroF1([0, 1], [0, 3], classCount: 3));
        Assert.Equal("predicted[1] = 3 is not a class index in [0, 3). (Parameter 'predicted')", e.Message);
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.LogLoss([2], new double[][] { [0.5, 0.5] }));
    }

    [Fact]
    public void Ragged_probability_rows_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(
            () => ClassificationMetrics.LogLoss([0, 1], new double[][] { [0.5, 0.5], [1.0] }));
        Assert.Equal(
            "probabilities[1] has 1 columns but probabilities[0] has 2; every row needs one probability per class. (Parameter 'probabilities')",
            e.Message);
    }
}
