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
    public void Json_has_no_placeholders_run_dir_and_epochs_from_the_run_folder()
    {
        var data = TabularRunFixture.WriteCsv(fx.Run.Data.Valid, _tmp["valid.csv"]);
        var root = JsonDocument.Parse(Cli.Run("evaluate", fx.ModelDir, data, "--json").AssertOk().Out).RootElement;
        Assert.Equal("accuracy", root.GetProperty("primary_metric").GetString());
        Assert.Equal(Path.GetFullPath(fx.Run.Summary.RunDir), root.GetProperty("run_dir").GetString());
        Assert.Equal(fx.Run.Summary.Epochs, root.GetProperty("epochs").GetInt32());
        Assert.True(fx.Run.Summary.Epochs > 0);
        foreach (var key in new[] { "timings", "threads", "stop_reason" }) Assert.False(root.TryGetProperty(key, out _), key);

        // The model copied out of its run folder: what only the run knew is left out, not empty.
        var copy = _tmp["shipped-model"];
        Directory.CreateDirectory(copy);
        foreach (var f in Directory.GetFiles(fx.ModelDir)) File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
        var alone = JsonDocument.Parse(Cli.Run("evaluate", copy, data, "--json").AssertOk().Out).RootElement;
        Assert.False(alone.TryGetProperty("run_dir", out _));
        Assert.False(alone.TryGetProperty("epochs", out _));
        Assert.Equal("accuracy", alone.GetProperty("primary_metric").GetString());
        Assert.Equal(root.GetProperty("accuracy").GetDouble(), alone.GetProperty("accuracy").GetDouble(), 12);
    }

    [Fact]
    public void Data_without_the_target_column()
    {
        var data = TabularRunFixture.WriteCsv(fx.Run.Data.Valid, _tmp["nolabels.csv"], "churn");
        Cli.Run("evaluate", fx.ModelDir, data).AssertUserErrorStartsWith($"{data}: missing column 'churn' that the model needs");
    }
}
