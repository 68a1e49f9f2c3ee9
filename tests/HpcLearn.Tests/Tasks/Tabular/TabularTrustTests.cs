using System.Text.Json;
using HpcLearn.Config;
using HpcLearn.Evaluation.Reports;
using HpcLearn.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;

namespace HpcLearn.Tests.Tasks.Tabular;

/// <summary>The trust figures a tabular run writes: evaluation.json, calibration, groups, errors.</summary>
[Collection(TorchGlobalStateCollection.Name)]
public sealed class TabularTrustTests
{
    private static (TabularRun Run, EvaluationReport Report) Train(TempFolder tmp, TabularConfig config)
    {
        var run = new TabularTask().Train(config, new RunContext { RunsRoot = tmp.Path, Out = TextWriter.Null, TensorBoard = false });
        var report = JsonSerializer.Deserialize<EvaluationReport>(File.ReadAllText(run.Folder.EvaluationPath), ModelArtifact.JsonOptions)!;
        return (run, report);
    }

    [Fact]
    public void Classification_writes_data_card_confusion_calibration_and_groups_with_a_missing_group()
    {
        using var tmp = new TempFolder();
        var config = new TabularConfig
        {
            Name = "trust", Data = new TabularDataOptions { BuiltinRows = 1200, Group = "region" },
            Model = new TabularModelOptions { Layers = [32] }, Train = new TrainOptions { Epochs = 4 },
        };
        var (run, report) = Train(tmp, config);

        var card = report.DataCard!;
        Assert.Equal(1200, card.Rows);
        Assert.Equal(run.Data.Valid.RowCount, card.ValidRows);
        Assert.Equal("group", card.Columns.Single(c => c.Name == "region").Role);

        var confusion = report.Confusion!;
        Assert.Equal(["no", "yes"], confusion.Labels);
        Assert.Equal(run.Data.Valid.RowCount, confusion.Counts.Sum(r => r.Sum()));
        double accuracy = (double)(confusion.Counts[0][0] + confusion.Counts[1][1]) / run.Data.Valid.RowCount;
        Assert.Equal(run.Summary.Metrics["accuracy"], accuracy, 12);

        var calibration = report.Calibration!;
        Assert.Equal(run.Summary.Metrics["temperature"], calibration.Temperature, 12);
        Assert.Equal(calibration.Before.Accuracy, calibration.After.Accuracy, 12); // scaling never changes the argmax
        Assert.Equal(15, calibration.Before.Bins.Length);

        // region has missing values in the built-in data: they form their own group.
        var groups = report.Groups!;
        Assert.Equal("region", groups.Column);
        Assert.Contains(groups.Rows, g => g.Name == "missing");
        Assert.Equal(run.Data.Valid.RowCount, groups.Rows.Sum(g => g.Size));
        Assert.NotNull(groups.DemographicParityDifference); // binary task
    }

    [Fact]
    public void Regression_has_no_calibration_and_asking_for_it_is_a_clear_error()
    {
        using var tmp = new TempFolder();
        var config = new TabularConfig
        {
            Name = "spend", Data = new TabularDataOptions { Builtin = "spend", BuiltinRows = 400 },
            Model = new TabularModelOptions { Layers = [16] }, Train = new TrainOptions { Epochs = 2 },
        };
        var (run, report) = Train(tmp, config);
        Assert.Null(report.Calibration);
        Assert.Null(report.Confusion);
        Assert.False(run.Summary.Metrics.ContainsKey("ece"));

        var asked = config with { Name = "spend-cal", Train = config.Train with { Calibrate = true } };
        var e = Assert.Throws<UserError>(() => Train(tmp, asked));
        Assert.Contains("calibration", e.Message);
        Assert.False(Directory.Exists(Path.Combine(tmp.Path, "spend-cal")), "refused before anything was written");
    }
}
