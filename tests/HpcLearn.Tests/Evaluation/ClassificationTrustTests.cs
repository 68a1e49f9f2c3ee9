using Xunit;
using HpcLearn.Evaluation;

namespace HpcLearn.Tests.Evaluation;

/// <summary>Temperature scaling is skipped when the validation split cannot support it.</summary>
public sealed class ClassificationTrustTests
{
    private static readonly string[] Classes = ["a", "b"];

    // n rows, every one right with margin 'margin', except 'wrong' rows that are confidently wrong.
    private static (int[] Truth, double[][] Logits) Rows(int n, double margin, int wrong, int seed = 1)
    {
        var random = new Random(seed);
        var truth = new int[n];
        var logits = new double[n][];
        for (int i = 0; i < n; i++)
        {
            truth[i] = i % 2;
            double m = margin * (0.5 + random.NextDouble());
            int predicted = i < wrong ? 1 - truth[i] : truth[i];
            logits[i] = predicted == 0 ? [m, 0] : [0, m];
        }
        return (truth, logits);
    }

    [Fact]
    public void A_small_validation_split_keeps_T_1_and_says_why()
    {
        var (truth, logits) = Rows(20, 3, wrong: 1);
        var trust = ClassificationTrust.Evaluate(truth, logits, Classes, calibrate: true);
        Assert.Equal(1.0, trust.Temperature);
        Assert.Contains("warning: temperature scaling skipped, T = 1 kept: only 20 validation rows (at least 50 are needed to fit T)", trust.Text);
        Assert.Equal(trust.Calibration!.Before.Ece, trust.Calibration.After.Ece);
        Assert.True(trust.SummaryExtras.ContainsKey("temperature_fitted"));
    }

    [Fact]
    public void A_split_without_mistakes_fits_T_at_its_bound_and_the_scaling_is_skipped()
    {
        var (truth, logits) = Rows(200, 4, wrong: 0);
        Assert.True(TemperatureScaling.Fit(logits, truth) < ClassificationTrust.MinTrustedTemperature);
        var trust = ClassificationTrust.Evaluate(truth, logits, Classes, calibrate: true);
        Assert.Equal(1.0, trust.Temperature);
        Assert.Contains("is below 0.05 (the validation split has almost no mistakes to fit it on)", trust.Text);
        // predict then never says p = 1.000000 on these logits
        Assert.All(TemperatureScaling.Apply(logits, trust.Temperature!.Value), p => Assert.True(p.Max() < 0.999));
    }

    [Fact]
    public void An_over_confident_model_on_enough_rows_is_scaled_and_the_bins_are_listed()
    {
        var (truth, logits) = Rows(200, 8, wrong: 30);
        var trust = ClassificationTrust.Evaluate(truth, logits, Classes, calibrate: true);
        Assert.True(trust.Temperature > 1, $"T = {trust.Temperature}");
        Assert.DoesNotContain("skipped", trust.Text);
        Assert.Contains("reliability bins (confidence: rows, accuracy): ", trust.Text);
        int listed = trust.Calibration!.Before.Bins.Where(b => b.Count > 0).Sum(b => b.Count);
        Assert.Equal(200, listed);
        Assert.Contains($"{trust.Calibration.Before.Bins.Last(b => b.Count > 0).Count} rows", trust.Text);
    }
}
