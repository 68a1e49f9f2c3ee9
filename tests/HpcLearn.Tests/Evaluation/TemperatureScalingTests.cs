using HpcLearn.Evaluation;
using Xunit;

namespace HpcLearn.Tests.Evaluation;

public class TemperatureScalingTests
{
    // Labels drawn from softmax(z): z is calibrated by construction, so a model reporting c·z is
    // over-confident by exactly c and the best temperature is c, up to sampling noise.
    private static (double[][] Logits, int[] Truth) Sample(int rows, int classes, double scale, int seed)
    {
        var random = new Random(seed);
        var logits = new double[rows][];
        var truth = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            double[] z = Enumerable.Range(0, classes).Select(_ => 1.5 * Normal(random)).ToArray();
            double[] p = TemperatureScaling.Apply([z], 1)[0];
            double u = random.NextDouble(), cumulative = 0;
            truth[i] = classes - 1;
            for (int k = 0; k < classes; k++)
                if (u < (cumulative += p[k])) { truth[i] = k; break; }
            logits[i] = z.Select(v => scale * v).ToArray();
        }
        return (logits, truth);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static double Nll(double[][] logits, int[] truth, double t)
    {
        double[][] p = TemperatureScaling.Apply(logits, t);
        return -truth.Select((y, i) => Math.Log(p[i][y])).Average();
    }

    [Fact]
    public void Over_confident_logits_get_their_scale_back_and_a_lower_ece()
    {
        var (logits, truth) = Sample(20_000, 4, scale: 3, seed: 1);
        double t = TemperatureScaling.Fit(logits, truth);
        Assert.InRange(t, 2.9, 3.1);

        var report = TemperatureScaling.Report(logits, truth, "validation split");
        Assert.Equal(t, report.Temperature);
        Assert.Equal("validation split", report.FittedOn);
        Assert.True(report.After.Ece < report.Before.Ece / 3, $"ECE {report.Before.Ece} -> {report.After.Ece}");
        Assert.True(report.After.Nll < report.Before.Nll);
        Assert.Equal(report.Before.Accuracy, report.After.Accuracy);
    }

    [Fact]
    public void Calibrated_logits_keep_a_temperature_near_one()
    {
        var (logits, truth) = Sample(20_000, 3, scale: 1, seed: 2);
        Assert.InRange(TemperatureScaling.Fit(logits, truth), 0.95, 1.05);
    }

    [Fact]
    public void Fitted_temperature_agrees_with_a_brute_force_grid_search()
    {
        var (logits, truth) = Sample(1_000, 3, scale: 2, seed: 3);
        double t = TemperatureScaling.Fit(logits, truth);

        // Grid over log T in [0.1, 10], refined twice around the best point: step 4.6e-3, then
        // 9e-6, then 2e-8 in log T, far finer than the 1e-3 asked for.
        double lo = Math.Log(0.1), hi = Math.Log(10), best = 0;
        for (int round = 0; round < 3; round++)
        {
            double step = (hi - lo) / 1000;
            best = Enumerable.Range(0, 1001).Select(j => lo + j * step)
                .MinBy(u => Nll(logits, truth, Math.Exp(u)));
            (lo, hi) = (best - 2 * step, best + 2 * step);
        }
        Assert.Equal(Math.Exp(best), t, 1e-3);
        Assert.True(Nll(logits, truth, t) <= Nll(logits, truth, t * 1.01));
        Assert.True(Nll(logits, truth, t) <= Nll(logits, truth, t * 0.99));
    }

    [Fact]
    public void Accuracy_never_changes_with_the_temperature()
    {
        var (logits, truth) = Sample(500, 5, scale: 0.5, seed: 4);
        double[] accuracies = new[] { 0.05, 0.5, 1, 2, 50 }
            .Select(t => Calibration.Compute(truth, TemperatureScaling.Apply(logits, t)).Accuracy).ToArray();
        Assert.All(accuracies, a => Assert.Equal(accuracies[0], a));
    }

    [Fact]
    public void Separable_rows_hit_the_lower_bound_and_hopeless_rows_the_upper()
    {
        // Every row right: the NLL keeps falling as T → 0. Every row wrong: it falls as T → ∞.
        double[][] logits = [[2, 0], [0, 2]];
        Assert.Equal(TemperatureScaling.MinTemperature, TemperatureScaling.Fit(logits, [0, 1]));
        Assert.Equal(TemperatureScaling.MaxTemperature, TemperatureScaling.Fit(logits, [1, 0]));
    }

    [Fact]
    public void Apply_is_the_softmax_of_the_scaled_logits_and_stable_for_huge_ones()
    {
        // softmax(ln 4 / 2, 0) = (2, 1) / 3
        double[] p = TemperatureScaling.Apply([[Math.Log(4), 0]], 2)[0];
        Assert.Equal(2.0 / 3, p[0], 1e-15);
        Assert.Equal(1.0 / 3, p[1], 1e-15);

        double[] huge = TemperatureScaling.Apply([[1000, 0, -1000]], 1)[0];
        Assert.Equal([1.0, 0.0, 0.0], huge);
    }

    [Fact]
    public void A_non_positive_temperature_is_refused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => TemperatureScaling.Apply([[1, 0]], 0));
        Assert.StartsWith("the temperature must be a finite positive number.", e.Message);
    }

    [Fact]
    public void Non_finite_logits_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => TemperatureScaling.Fit([[1, double.NaN]], [0]));
        Assert.StartsWith("logits[0] holds a non-finite value", e.Message);
    }
}
