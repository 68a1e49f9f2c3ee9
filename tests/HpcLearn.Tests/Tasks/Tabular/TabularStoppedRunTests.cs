using HpcLearn.Runs;
using HpcLearn.Tasks.Tabular;
using HpcLearn.Tests.Runs;
using HpcLearn.Training;
using Xunit;

namespace HpcLearn.Tests.Tasks.Tabular;

/// <summary>A tabular run stopped mid-fit leaves a model that predicts, and resuming it still ends where a straight run ends.</summary>
[Collection("torch-rng")]
public sealed class TabularStoppedRunTests
{
    [Fact]
    public void A_stopped_run_leaves_a_usable_model_and_the_resumed_run_ends_bit_for_bit_as_a_straight_one()
    {
        using var tmp = new TempFolder();
        var task = new TabularTask();
        var straight = task.Train(TabularRunFixture.TinyConfig("straight"), new RunContext { Out = TextWriter.Null, RunsRoot = tmp.Path, TensorBoard = false });

        var config = TabularRunFixture.TinyConfig("stopped");
        var (ctx, cancel) = StoppedRun.AfterBatches(tmp.Path, 3);
        var stopped = new TabularTask { Callbacks = cancel }.Train(config, ctx);

        Assert.True(stopped.Summary.Interrupted);
        var summary = StoppedRun.AssertUsableModel(stopped.Summary.RunDir, TabularTask.Name, Learner.CancelledReason);
        Assert.Equal(0, summary.Epochs);
        string model = Path.Combine(stopped.Summary.RunDir, "model");
        var input = TabularRunFixture.WriteCsv(stopped.Data.Valid, tmp["input.csv"], "churn");
        var predictions = new StringWriter();
        Assert.Equal(stopped.Data.Valid.RowCount, task.Predict(model, input, predictions));
        Assert.Equal(stopped.Data.Valid.RowCount + 1, predictions.ToString().Trim().Split('\n').Length);

        var resumed = task.Train(config, new RunContext { Out = TextWriter.Null, RunsRoot = tmp.Path, TensorBoard = false, Resume = true });
        Assert.False(resumed.Summary.Interrupted);
        Assert.NotNull(RunStatus.ReadSummary(Path.Combine(resumed.Summary.RunDir, "summary.json")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight.Summary.RunDir, "model", ModelArtifact.WeightsFile)),
            File.ReadAllBytes(Path.Combine(model, ModelArtifact.WeightsFile)));
        Assert.Equal(straight.Summary.Metrics, resumed.Summary.Metrics);
    }
}
