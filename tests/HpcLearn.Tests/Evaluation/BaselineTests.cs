using HpcLearn.Evaluation;
using Xunit;

namespace HpcLearn.Tests.Evaluation;

public class BaselineTests
{
    private const double Tol = 1e-12;

    // Training majority is class 0 (3 of 5); validation's majority is class 1 (3 of 4).
    private static readonly int[] Train = [0, 0, 0, 1, 1];
    private static readonly int[] Valid = [1, 1, 1, 0];

    [Fact]
    public void MajorityClass_predicts_the_training_majority_not_the_validation_one()
    {
        var b = Baseline.MajorityClass(Train, Valid, classCount: 2);
        Assert.Equal(["accuracy", "macro_f1", "log_loss"], b.Metrics.Keys);
        // always 0: right on 1 row of 4
        Assert.Equal(0.25, b.Metrics["accuracy"], Tol);
        // class 0: TP 1, FP 3, FN 0 -> 2/5; class 1: never predicted -> 0
        Assert.Equal(0.2, b.Metrics["macro_f1"], Tol);
    }

    [Fact]
    public void MajorityClass_log_loss_is_the_cross_entropy_of_the_training_prior()
    {
        var b = Baseline.MajorityClass(Train, Valid, classCount: 2);
        // prior (0.6, 0.4): -(3 ln 0.4 + ln 0.6) / 4
        Assert.Equal(0.814924454847114, b.Metrics["log_loss"], Tol);
    }

    [Fact]
    public void MajorityClass_describes_itself_with_or_without_names()
    {
        Assert.Equal("majority class 'no' (60.0% of training rows)",
            Baseline.MajorityClass(Train, Valid, 2, ["no", "yes"]).Description);
        Assert.Equal("majority class 0 (60.0% of training rows)",
            Baseline.MajorityClass(Train, Valid, 2).Description);
    }

    [Fact]
    public void MajorityClass_refuses_the_wrong_number_of_names()
    {
        var e = Assert.Throws<ArgumentException>(() => Baseline.MajorityClass(Train, Valid, 2, ["no"]));
        Assert.Equal("classNames has 1 names but there are 2 classes. (Parameter 'classNames')", e.Message);
    }

    [Fact]
    public void PriorGuess_is_the_dot_product_of_the_two_priors()
    {
        // 0.6 · 0.25 + 0.4 · 0.75
        var b = Baseline.PriorGuess(Train, Valid, classCount: 2);
        Assert.Equal(["accuracy"], b.Metrics.Keys);
        Assert.Equal(0.45, b.Metrics["accuracy"], Tol);
    }

    [Fact]
    public void Mean_predicts_the_training_mean()
    {
        // mean 2 predicted for [2, 4]: errors 0, 2; valid mean 3, SS_tot 2, SS_res 4
        var b = Baseline.Mean([1, 2, 3], [2, 4]);
        Assert.Equal(Math.Sqrt(2), b.Metrics["rmse"], Tol);
        Assert.Equal(1.0, b.Metrics["mae"], Tol);
        Assert.Equal(-1.0, b.Metrics["r2"], Tol);
        Assert.Equal("training mean 2", b.Description);
    }

    [Fact]
    public void Empty_splits_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => Baseline.MajorityClass([], Valid, 2));
        Assert.Equal("trainLabels is empty; a metric needs at least one row. (Parameter 'trainLabels')", e.Message);
        Assert.Throws<ArgumentException>(() => Baseline.PriorGuess(Train, [], 2));
        Assert.Throws<ArgumentException>(() => Baseline.Mean([1.0], []));
    }
}
