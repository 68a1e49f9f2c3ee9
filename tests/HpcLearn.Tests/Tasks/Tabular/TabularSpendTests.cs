using HpcLearn.Evaluation;
using HpcLearn.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Tasks.Tabular;

/// <summary>Regression end to end through the library.</summary>
public sealed class TabularSpendTests(SpendRunFixture fx) : IClassFixture<SpendRunFixture>
{
    [Fact]
    public void Summary_has_the_regression_metrics_and_beats_the_mean_baseline()
    {
        var s = fx.Run.Summary;
        Assert.Equal(["mae", "r2", "rmse"], s.Metrics.Keys.Order());
        Assert.Equal(["mae", "r2", "rmse"], s.Baseline.Keys.Order());
        Assert.True(s.BeatsBaseline);
        // spend has noise sd 25 and sd about 110 around its mean (see SyntheticTabular.Regression).
        Assert.True(s.Metrics["rmse"] < 0.6 * s.Baseline["rmse"], $"rmse {s.Metrics["rmse"]} vs baseline {s.Baseline["rmse"]}");
        Assert.True(s.Metrics["r2"] > 0.6, $"r2 {s.Metrics["r2"]}");
        Assert.StartsWith("training mean ", s.BaselineDescription);
    }

    [Fact]
    public void Baseline_predicts_the_training_mean()
    {
        var data = fx.Run.Data;
        double mean = data.Train["spend"].Numbers.Average();
        var truth = data.Valid["spend"].Numbers;
        var expected = RegressionMetrics.Compute(truth, truth.Select(_ => mean).ToArray());
        Assert.Equal(expected["rmse"], fx.Run.Summary.Baseline["rmse"], 9);
    }

    [Fact]
    public void Loaded_model_reproduces_the_training_metrics_on_the_validation_rows()
    {
        using var predictor = TabularPredictor.Load(fx.ModelDir);
        var predicted = predictor.PredictValues(fx.Run.Data.Valid);
        var metrics = RegressionMetrics.Compute(fx.Run.Data.Valid["spend"].Numbers, predicted);
        foreach (var key in new[] { "rmse", "mae", "r2" })
            Assert.Equal(fx.Run.Summary.Metrics[key], metrics[key], 1e-6 * Math.Max(1, Math.Abs(metrics[key])));
    }

    [Fact]
    public void Predict_writes_a_prediction_column()
    {
        using var tmp = new TempFolder();
        var rows = fx.Run.Data.Valid.SelectRows([0, 1, 2, 3]);
        var csv = TabularRunFixture.WriteCsv(rows, tmp["input.csv"], "spend");
        var output = new StringWriter();
        Assert.Equal(4, new TabularTask().Predict(fx.ModelDir, csv, output));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using var predictor = TabularPredictor.Load(fx.ModelDir);
        var values = predictor.PredictValues(rows);
        Assert.Equal("prediction", lines[0]);
        Assert.Equal(values.Select(v => v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)), lines.Skip(1));
    }
}
