using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace HpcLearn.Training.Callbacks;

/// <summary>
/// Shows progress. On a terminal: a live bar redrawn in place. Otherwise (a batch job's log):
/// one plain line per epoch, plus a line every <see cref="LogInterval"/> inside long epochs,
/// so a log file reads well with <c>tail -f</c>.
/// </summary>
public sealed class ProgressCallback(TextWriter output, bool isTerminal) : Callback
{
    private readonly Stopwatch _epochClock = new();
    private TimeSpan _lastLine;
    private int _batch;
    private double _runningLoss;
    private bool _barOpen;

    /// <inheritdoc />
    public override int Order => CallbackOrder.Progress;

    /// <summary>Interval between in-epoch lines when not on a terminal. Default 30 s.</summary>
    public TimeSpan LogInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    public override void OnEpochStart(Learner learner)
    {
        _epochClock.Restart();
        _lastLine = TimeSpan.Zero;
        _batch = 0;
        _runningLoss = double.NaN;
    }

    /// <inheritdoc />
    public override LoopAction OnBatchEnd(Learner learner, double loss)
    {
        _batch++;
        _runningLoss = double.IsNaN(_runningLoss) ? loss : 0.9 * _runningLoss + 0.1 * loss;
        int total = learner.Train.BatchesPerEpoch;
        var now = _epochClock.Elapsed;
        if (isTerminal)
        {
            if (_batch != total && (now - _lastLine).TotalMilliseconds < 100) return LoopAction.Continue;
            _lastLine = now;
            _barOpen = true;
            const int width = 30;
            int filled = (int)Math.Round(width * (double)_batch / total);
            output.Write(string.Create(CultureInfo.InvariantCulture,
                $"\repoch {learner.Epoch + 1}/{learner.Plan?.LastEpoch} [{new string('#', filled)}{new string('.', width - filled)}] {_batch}/{total} loss {_runningLoss:F4} "));
        }
        else if (now - _lastLine >= LogInterval)
        {
            _lastLine = now;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {learner.Epoch + 1}/{learner.Plan?.LastEpoch}  batch {_batch}/{total}  loss {_runningLoss:F4}  {now.TotalSeconds:F0}s"));
        }
        return LoopAction.Continue;
    }

    /// <inheritdoc />
    public override LoopAction OnEpochEnd(Learner learner, EpochRecord record)
    {
        if (_barOpen) output.Write("\r\u001b[2K");
        _barOpen = false;
        output.WriteLine(FormatEpoch(record, learner.Plan?.LastEpoch ?? record.Epoch));
        return LoopAction.Continue;
    }

    /// <inheritdoc />
    public override void OnFitEnd(Learner learner)
    {
        if (_barOpen) output.WriteLine();
        _barOpen = false;
        if (learner.StopReason is { } why) output.WriteLine($"stopped: {why}");
        output.Flush();
    }

    /// <summary>The one-line summary of an epoch, as printed.</summary>
    public static string FormatEpoch(EpochRecord r, int lastEpoch)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"epoch {r.Epoch}/{lastEpoch}  train_loss {r.TrainLoss:F4}");
        if (!double.IsNaN(r.ValidLoss)) sb.Append(CultureInfo.InvariantCulture, $"  valid_loss {r.ValidLoss:F4}");
        foreach (var (k, v) in r.Metrics) sb.Append(CultureInfo.InvariantCulture, $"  {k} {v:F4}");
        sb.Append(CultureInfo.InvariantCulture, $"  lr {NumberText.Short(r.LearningRate)}  {r.Seconds:F1}s");
        return sb.ToString();
    }
}
