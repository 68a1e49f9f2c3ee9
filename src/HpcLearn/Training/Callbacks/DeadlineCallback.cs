using HpcLearn.Cluster;

using HpcLearn.Runs;

namespace HpcLearn.Training.Callbacks;

/// <summary>
/// Stops training cleanly before the job is killed: when a stop signal arrives (USR1 from
/// Slurm's <c>--signal</c>, TERM from scancel or the time limit), when the job's end time minus
/// <see cref="Margin"/> is reached, or at an epoch's end when the next epoch (moving average of
/// the last <see cref="Window"/> epochs) would not finish before it. The stop sets
/// <see cref="Learner.Interrupted"/>; the <see cref="CheckpointCallback"/> then saves the exact
/// position, data cursor included, at the end of the fit.
/// </summary>
public sealed class DeadlineCallback : Callback
{
    private readonly StopSignals _signals;
    private readonly TimeProvider _clock;
    private readonly Queue<double> _epochSeconds = new();
    private DateTimeOffset _epochStart;
    private int _epochStartBatch;
    private string? _reason;

    /// <summary>Creates the callback.</summary>
    /// <param name="signals">The stop signals to watch.</param>
    /// <param name="clock">The clock (a fake one in tests).</param>
    /// <param name="endTime">When the job ends; null when there is no known end (only signals stop it).</param>
    /// <param name="margin">Time to keep free before <paramref name="endTime"/> (checkpoint, requeue, exit).</param>
    public DeadlineCallback(StopSignals signals, TimeProvider clock, DateTimeOffset? endTime, TimeSpan margin)
    {
        _signals = signals;
        _clock = clock;
        EndTime = endTime;
        Margin = margin >= TimeSpan.Zero ? margin : throw new ArgumentOutOfRangeException(nameof(margin));
    }

    /// <summary>When the job ends, if known.</summary>
    public DateTimeOffset? EndTime { get; }

    /// <summary>Time kept free before <see cref="EndTime"/>.</summary>
    public TimeSpan Margin { get; }

    /// <summary>Epochs in the moving average of epoch time. Default 3.</summary>
    public int Window { get; init; } = 3;

    /// <summary>What stopped the run, or <see cref="StopCause.None"/>.</summary>
    public StopCause Cause { get; private set; }

    /// <summary>The signal that stopped the run (e.g. <c>USR1</c>), when <see cref="Cause"/> is <see cref="StopCause.Signal"/>.</summary>
    public string? Signal { get; private set; }

    /// <summary>The moving average of epoch seconds so far (NaN before the first epoch ends).</summary>
    public double EpochSecondsEstimate => _epochSeconds.Count == 0 ? double.NaN : _epochSeconds.Average();

    /// <inheritdoc />
    public override void OnEpochStart(Learner learner)
    {
        _epochStart = _clock.GetUtcNow();
        _epochStartBatch = learner.Progress.Batches;
    }

    /// <inheritdoc />
    public override LoopAction OnBatchEnd(Learner learner, double loss)
    {
        // The fit's very last batch: nothing is left to save time for.
        if (learner.Epoch + 1 >= LastEpoch(learner) && learner.Progress.Batches >= learner.Train.BatchesPerEpoch)
            return LoopAction.Continue;
        if (_signals.Received is { } signal)
            return Stop(learner, StopCause.Signal, $"signal {signal} received", signal);
        if (EndTime is { } end && _clock.GetUtcNow() >= end - Margin)
            return Stop(learner, StopCause.Deadline, $"the job ends at {Format(end)} and only the {Margin.TotalSeconds:0} s margin is left");
        return LoopAction.Continue;
    }

    /// <inheritdoc />
    public override LoopAction OnEpochEnd(Learner learner, EpochRecord record)
    {
        var now = _clock.GetUtcNow();
        // A resumed epoch ran only part of its batches: scale its time up to a whole epoch.
        int ran = learner.Train.BatchesPerEpoch - _epochStartBatch;
        if (ran > 0)
        {
            _epochSeconds.Enqueue((now - _epochStart).TotalSeconds * learner.Train.BatchesPerEpoch / ran);
            while (_epochSeconds.Count > Window) _epochSeconds.Dequeue();
        }
        if (learner.Epoch >= LastEpoch(learner)) return LoopAction.Continue;
        if (_signals.Received is { } signal)
            return Stop(learner, StopCause.Signal, $"signal {signal} received", signal);
        if (EndTime is not { } end || _epochSeconds.Count == 0) return LoopAction.Continue;
        double next = EpochSecondsEstimate;
        if (now + TimeSpan.FromSeconds(next) <= end - Margin) return LoopAction.Continue;
        return Stop(learner, StopCause.Deadline,
            $"the next epoch (~{next:0.#} s) would not end {Margin.TotalSeconds:0} s before the job's end at {Format(end)}");
    }

    /// <inheritdoc />
    public override void OnFitEnd(Learner learner)
    {
        // The learner also stops on its cancellation token, which the CLI cancels on the same
        // signals: when that check came first, the cause is still the signal (for the requeue).
        if (Cause == StopCause.None && learner.Interrupted && _signals.Received is { } signal)
        {
            Record(StopCause.Signal, $"signal {signal} received", signal);
            // The progress line (printed after this callback) then says the signal, not "cancelled".
            learner.ExplainCancellation($"signal {signal} received");
        }
    }

    /// <summary>
    /// For training loops that do not run in a <see cref="Learner"/> (a language model's step loop,
    /// self-play iterations): checks the stop signals and the job's end time now. Returns why to
    /// stop, and records <see cref="Cause"/> and <see cref="Signal"/> as a Learner's stop does, so
    /// the command requeues the job the same way; null to go on.
    /// </summary>
    public string? Poll()
    {
        if (Cause != StopCause.None) return _reason;
        if (_signals.Received is { } signal) return Record(StopCause.Signal, $"signal {signal} received", signal);
        if (EndTime is { } end && _clock.GetUtcNow() >= end - Margin)
            return Record(StopCause.Deadline, $"the job ends at {Format(end)} and only the {Margin.TotalSeconds:0} s margin is left");
        return null;
    }

    private string Record(StopCause cause, string reason, string? signal = null)
    {
        if (Cause == StopCause.None) (Cause, Signal, _reason) = (cause, signal, reason);
        return _reason!;
    }

    private LoopAction Stop(Learner learner, StopCause cause, string reason, string? signal = null)
    {
        Record(cause, reason, signal);
        learner.Interrupted = true;
        learner.RequestStop(reason);
        return LoopAction.Stop;
    }

    private static int LastEpoch(Learner learner) => learner.Plan?.LastEpoch ?? int.MaxValue;

    private static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss") + " UTC";
}
