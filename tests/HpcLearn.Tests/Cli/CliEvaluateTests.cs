using System.Text.Json;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Cli;

/// <summary><c>hpclearn evaluate</c> on the validation rows of a model trained once for the class.</summary>
public sealed class CliEvaluateTests(ChurnRunFixture fx) : IClassFixture<ChurnRunFixture>, IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void Prints_the_metrics_beside_the_baseline()
    {
        var data = TabularRunFixture.WriteCsv(fx.Run.Data.Valid, _tmp["valid.csv"]);
        var r = Cli.Run("evaluate", fx.ModelDir, data).AssertOk();
        Assert.StartsWith("metric ", r.Out);
        Assert.Contains("baseline", r.Out.Split('\n')[0]);
        foreach (var name in new[] { "Accuracy", "Macro F1", "Log loss" }) Assert.Contains(name, r.Out);
        Assert.Contains($"Accuracy  {fx.Run.Summary.Metrics["accuracy"]:F4}    {fx.Run.Summary.Baseline["accuracy"]:F4}", r.Out);
        Assert.Contains("baseline: majority class 'no'", r.Out);
    }

    [Fact]
    public void Json_has_the_accuracy_and_the_baseline_of_training()
    {
        var data = TabularRunFixture.WriteCsv(fx.Run.Data.Valid, _tmp["valid.csv"]);
        var r = Cli.Run("evaluate", fx.ModelDir, data, "--json").AssertOk();
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal(fx.Run.Summary.Metrics["accuracy"], doc.RootElement.GetProperty("accuracy").GetDouble(), 12);
        Assert.Equal(fx.Run.Summary.Metrics["log_loss_calibrated"], doc.RootElement.GetProperty("log_loss").GetDouble(), 6);
        Assert.Equal(fx.Run.Summary.Baseline["accuracy"], doc.RootElement.GetProperty("baseline").GetProperty("accuracy").GetDouble(), 12);
    }

    [Fact]
    public void Data_without_the_target_column()
    {
        var data = TabularRunFixture.WriteCsv(fx.Run.Data.Valid, _tmp["nolabels.csv"], "churn");
        Cli.Run("evaluate", fx.ModelDir, data).AssertUserErrorStartsWith($"{data}: missing column 'churn' that the model needs");
    }
}
