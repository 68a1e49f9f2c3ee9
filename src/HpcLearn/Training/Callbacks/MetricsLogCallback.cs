using System.Globalization;
using System.Text;
using TorchSharp;
using TorchSharp.Modules;

using HpcLearn.Runs;

namespace HpcLearn.Training.Callbacks;

/// <summary>
/// Logs every epoch to <c>metrics.csv</c> and to TensorBoard event files in <c>tensorboard/</c>.
/// The CSV is rewritten from the learner's history each epoch (atomically), so after a resume
/// it holds exactly the epochs the restored checkpoint knows, with no duplicates.
/// </summary>
public sealed class MetricsLogCallback(string runDirectory, bool tensorBoard = true) : Callback
{
    private SummaryWriter? _writer;

    /// <inheritdoc />
    public override int Order => CallbackOrder.MetricsLog;

    /// <summary>Path of the CSV file.</summary>
    public string CsvPath => Path.Combine(runDirectory, "metrics.csv");

    /// <inheritdoc />
    public override void OnFitStart(Learner learner)
    {
        if (tensorBoard && _writer is null)
            _writer = torch.utils.tensorboard.SummaryWriter(Path.Combine(runDirectory, "tensorboard"), null, false);
        WriteCsv(learner.History);
    }

    /// <summary>
    /// Optimiser steps between per-step TensorBoard points. Each event costs about a millisecond
    /// (TorchSharp writes and flushes it at once), so logging every step doubled a small
    /// model's epoch time (bench/run learner-overhead). Default 100.
    /// </summary>
    public int StepLogInterval { get; init; } = 100;

    /// <inheritdoc />
    public override LoopAction OnBatchEnd(Learner learner, double loss)
    {
        if (learner.Step % StepLogInterval == 0) _writer?.add_scalar("loss/train_step", (float)loss, (int)learner.Step);
        return LoopAction.Continue;
    }

    /// <inheritdoc />
    public override LoopAction OnEpochEnd(Learner learner, EpochRecord record)
    {
        WriteCsv(learner.History);
        if (_writer is not null)
        {
            _writer.add_scalar("loss/train", (float)record.TrainLoss, record.Epoch);
            if (!double.IsNaN(record.ValidLoss)) _writer.add_scalar("loss/valid", (float)record.ValidLoss, record.Epoch);
            foreach (var (name, value) in record.Metrics) _writer.add_scalar($"valid/{name}", (float)value, record.Epoch);
            _writer.add_scalar("lr", (float)record.LearningRate, record.Epoch);
        }
        return LoopAction.Continue;
    }

    private void WriteCsv(IReadOnlyList<EpochRecord> history)
    {
        var names = history.SelectMany(r => r.Metrics.Keys).Distinct().ToList();
        var sb = new StringBuilder();
        sb.AppendLine(string.Join(",", new[] { "epoch", "step", "train_loss", "valid_loss" }.Concat(names).Concat(["lr", "seconds"])));
        foreach (var r in history)
        {
            var cells = new List<string> { r.Epoch.ToString(CultureInfo.InvariantCulture), r.Step.ToString(CultureInfo.InvariantCulture), F(r.TrainLoss), F(r.ValidLoss) };
            cells.AddRange(names.Select(n => r.Metrics.TryGetValue(n, out var v) ? F(v) : ""));
            cells.Add(F(r.LearningRate));
            cells.Add(r.Seconds.ToString("F3", CultureInfo.InvariantCulture));
            sb.AppendLine(string.Join(",", cells));
        }
        AtomicFile.WriteAllText(CsvPath, sb.ToString());
    }

    private static string F(double v) => double.IsNaN(v) ? "" : v.ToString("G6", CultureInfo.InvariantCulture);
}
