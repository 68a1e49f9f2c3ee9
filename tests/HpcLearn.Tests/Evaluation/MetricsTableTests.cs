using HpcLearn.Evaluation;
using Xunit;

namespace HpcLearn.Tests.Evaluation;

public class MetricsTableTests
{
    private static readonly Dictionary<string, double> Prior =
        new() { ["accuracy"] = 0.62, ["macro_f1"] = 0.25, ["log_loss"] = 0.66 };

    [Fact]
    public void Table_is_aligned_and_warns_when_the_model_loses_on_the_primary_metric()
    {
        var model = new Dictionary<string, double> { ["accuracy"] = 0.61, ["macro_f1"] = 0.5, ["log_loss"] = 0.7 };
        string expected =
            "metric     model  baseline  beats baseline\n" +
            "Accuracy  0.6100    0.6200  no\n" +
            "Macro F1  0.5000    0.2500  yes\n" +
            "Log loss  0.7000    0.6600  no\n" +
            "baseline: majority class 'no' (62.0% of training rows)\n" +
            "WARNING: the model does not beat the baseline on accuracy (0.6100 vs 0.6200): it has learned nothing useful yet.\n";
        Assert.Equal(expected, MetricsTable.Format(model, Prior, "majority class 'no' (62.0% of training rows)"));
    }

    [Fact]
    public void No_warning_when_the_model_beats_the_primary_metric()
    {
        // Loses on log-loss, but only the first metric decides the warning.
        var model = new Dictionary<string, double> { ["accuracy"] = 0.8, ["macro_f1"] = 0.5, ["log_loss"] = 0.9 };
        Assert.DoesNotContain("WARNING", MetricsTable.Format(model, Prior, "majority"));
    }

    [Fact]
    public void Lower_is_better_metrics_warn_when_higher()
    {
        var baseline = new Dictionary<string, double> { ["rmse"] = 1.0 };
        Assert.Contains("WARNING: the model does not beat the baseline on rmse (1.2000 vs 1.0000)",
            MetricsTable.Format(new Dictionary<string, double> { ["rmse"] = 1.2 }, baseline, "mean"));
        Assert.DoesNotContain("WARNING",
            MetricsTable.Format(new Dictionary<string, double> { ["rmse"] = 0.8 }, baseline, "mean"));
    }

    [Fact]
    public void A_metric_the_baseline_lacks_shows_a_dash()
    {
        var model = new Dictionary<string, double> { ["accuracy"] = 0.9, ["log_loss"] = 0.3 };
        var prior = new Dictionary<string, double> { ["accuracy"] = 0.45 };
        Assert.Contains("Log loss  0.3000         -  -\n", MetricsTable.Format(model, prior, "prior guess"));
    }

    [Fact]
    public void Empty_model_metrics_are_refused()
    {
        Assert.Throws<ArgumentException>(() => MetricsTable.Format(new Dictionary<string, double>(), Prior, "x"));
    }
}
