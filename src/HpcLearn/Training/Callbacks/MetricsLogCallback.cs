using HpcLearn.Runs.Metrics;

namespace HpcLearn.Training.Callbacks;

/// <summary>
/// Logs every epoch through the run's <see cref="MetricsLog"/>: a row of <c>metrics.csv</c>
/// (step, epoch, train_loss, valid_loss, the validation metrics, lr, seconds) and TensorBoard
/// scalars in <c>tensorboard/</c>. The CSV is rewritten from the learner's history each epoch
/// (atomically), so after a resume it holds exactly the epochs the restored checkpoint knows,
/// with no duplicates.
/// </summary>
public sealed class MetricsLogCallback(string runDirectory, bool tensorBoard = true) : Callback
{
    private MetricsLog? _log;
    private HashSet<string> _metricNames = [];

    /// <inheritdoc />
    public override int Order => CallbackOrder.MetricsLog;

    /// <summary>Path of the CSV file.</summary>
    public string CsvPath => Path.Combine(runDirectory, MetricsLog.FileName);

    /// <summary>Optimiser steps between per-step TensorBoard points (see <see cref="MetricsLog.StepLogInterval"/>). Default 100.</summary>
    public int StepLogInterval { get; init; } = 100;

    /// <inheritdoc />
    public override void OnFitStart(Learner learner)
    {
        // Validation metrics go under valid/ in TensorBoard, as they always have.
        _log ??= new MetricsLog(runDirectory, tensorBoard, c => _metricNames.Contains(c) ? "valid/" + c : MetricsLog.DefaultTag(c))
        {
            StepLogInterval = StepLogInterval,
        };
        _log.Write(Rows(learner.History));
    }

    /// <inheritdoc />
    public override LoopAction OnBatchEnd(Learner learner, double loss)
    {
        _log?.StepScalar("loss/train_step", loss, learner.Step);
        return LoopAction.Continue;
    }

    /// <inheritdoc />
    public override LoopAction OnEpochEnd(Learner learner, EpochRecord record)
    {
        if (_log is null) return LoopAction.Continue;
        _metricNames = [.. learner.History.SelectMany(r => r.Metrics.Keys)];
        var rows = Rows(learner.History);
        _log.Add(rows, rows[^1]);
        return LoopAction.Continue;
    }

    /// <summary>The history as metrics rows, the metric columns in first-seen order.</summary>
    private static List<MetricsRow> Rows(IReadOnlyList<EpochRecord> history)
    {
        var names = history.SelectMany(r => r.Metrics.Keys).Distinct().ToList();
        return history.Select(r =>
        {
            var values = new List<KeyValuePair<string, double>> { new("train_loss", r.TrainLoss), new("valid_loss", r.ValidLoss) };
            values.AddRange(names.Select(n => new KeyValuePair<string, double>(n, r.Metrics.TryGetValue(n, out var v) ? v : double.NaN)));
            values.Add(new("lr", r.LearningRate));
            values.Add(new("seconds", r.Seconds));
            return new MetricsRow(r.Step, r.Epoch, values);
        }).ToList();
    }
}
