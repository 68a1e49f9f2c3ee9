using System.Text.Json;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;

namespace HpcLearn.Tests.Runs;

/// <summary>What every task's stopped run must leave: a checkpoint to resume, and beside it a usable model.</summary>
internal static class StoppedRun
{
    /// <summary>Cancels its token at the end of batch <paramref name="batches"/> of the fit, as a stop signal would.</summary>
    public sealed class CancelAfter(CancellationTokenSource source, long batches) : Callback
    {
        /// <inheritdoc />
        public override LoopAction OnBatchEnd(Learner learner, double loss)
        {
            if (learner.Step == batches) source.Cancel();
            return LoopAction.Continue;
        }
    }

    /// <summary>
    /// A context for a Learner-based task whose fit is cancelled after <paramref name="batches"/> batches,
    /// and the callback that cancels it (the task's <c>Callbacks</c>).
    /// </summary>
    public static (RunContext Context, Callback[] Callbacks) AfterBatches(string runsRoot, long batches, TextWriter? log = null)
    {
        var source = new CancellationTokenSource();
        var context = new RunContext { Out = log ?? TextWriter.Null, RunsRoot = runsRoot, TensorBoard = false, Stop = new RunStop(source.Token) };
        return (context, [new CancelAfter(source, batches)]);
    }

    /// <summary>
    /// Asserts that <paramref name="runDir"/> holds a model of <paramref name="task"/> (weights and
    /// model.json with provenance) and a summary.json saying the run was interrupted for <paramref name="reason"/>,
    /// which status and sweep-report do not take for a finished run.
    /// </summary>
    public static RunSummary AssertUsableModel(string runDir, string task, string reason)
    {
        string model = Path.Combine(runDir, "model"), summaryPath = Path.Combine(runDir, "summary.json");
        Assert.True(File.Exists(Path.Combine(model, ModelArtifact.WeightsFile)), $"no weights in {model}");
        var manifest = ModelArtifact.LoadManifest(model, task);
        Assert.False(string.IsNullOrEmpty(manifest.Provenance.Config));
        string json = File.ReadAllText(summaryPath);
        var summary = JsonSerializer.Deserialize<RunSummary>(json, RunJson.Options)!;
        Assert.True(summary.Interrupted, json);
        Assert.Equal(reason, summary.StopReason);
        Assert.Equal(task, summary.Task);
        Assert.True(summary.Timings.ContainsKey("train_seconds"), json);
        Assert.Null(RunStatus.ReadSummary(summaryPath));
        Assert.True(Directory.EnumerateFiles(Path.Combine(runDir, "checkpoints")).Any(), "no checkpoint beside the model");
        return summary;
    }
}
