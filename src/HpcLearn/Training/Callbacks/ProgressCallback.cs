using System.Diagnostics;
using System.Globalization;
using System.Text;

using HpcLearn.Runs;

namespace HpcLearn.Training.Callbacks;

/// <summary>
/// Shows progress. On a terminal: a live bar redrawn in place. Otherwise (a batch job's log):
/// one plain line per epoch, plus a line every <see cref="LogInterval"/> inside long epochs,
/// so a log file reads well with <c>tail -f</c>. Each epoch line ends with the time left
/// (<c>eta 0:42</c>): the mean epoch time of this fit times the epochs still to run.
/// </summary>
public sealed class ProgressCallback(TextWriter output, bool isTerminal) : Callback
{
    private readonly Stopwatch _epochClock = new();
    private TimeSpan _lastLine;
    private int _batch;
    private double _runningLoss;
    private bool _barOpen;
    private double _epochSeconds;
    private int _epochsTimed;

    /// <inheritdoc />
    public override int Order => CallbackOrder.Progress;

    /// <summary>Interval between in-epoch lines when not on a terminal. Default 30 s.</summary>
    public TimeSpan LogInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    public override void OnFitStart(Learner learner)
    {
        // A resumed fit times only its own epochs: the checkpoint's may have run on other hardware.
        _epochSeconds = 0;
        _epochsTimed = 0;
    }

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
        _epochSeconds += record.Seconds;
        _epochsTimed++;
        int lastEpoch = learner.Plan?.LastEpoch ?? record.Epoch;
        var line = FormatEpoch(record, lastEpoch);
        if (lastEpoch > record.Epoch) line += "  eta " + FormatEta(TimeSpan.FromSeconds(_epochSeconds / _epochsTimed * (lastEpoch - record.Epoch)));
        output.WriteLine(line);
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

    /// <summary>Time left as <c>m:ss</c>, or <c>h:mm:ss</c> from an hour (rounded to the second).</summary>
    public static string FormatEta(TimeSpan left)
    {
        long total = (long)Math.Round(Math.Max(0, left.TotalSeconds));
        long h = total / 3600, m = total / 60 % 60, sec = total % 60;
        return h > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{h}:{m:D2}:{sec:D2}")
            : string.Create(CultureInfo.InvariantCulture, $"{m}:{sec:D2}");
    }

    /// <summary>The one-line summary of an epoch, as printed (without the time left).</summary>
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
