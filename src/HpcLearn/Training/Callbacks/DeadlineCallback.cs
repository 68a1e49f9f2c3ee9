using HpcLearn.Runs;

namespace HpcLearn.Training.Callbacks;

/// <summary>
/// The Learner's side of the run's <see cref="RunStop"/>: polls it after every batch (a stop
/// signal, a cancelled token, the job's end time minus the margin, the wall-time budget), and at an
/// epoch's end also stops when the next epoch (moving average of the last <see cref="Window"/>
/// epochs) would not finish before the job's end. The stop sets <see cref="Learner.Interrupted"/>;
/// the <see cref="CheckpointCallback"/> then saves the exact position, data cursor included, at the
/// end of the fit. <see cref="StandardCallbacks"/> adds one to every task's Learner.
/// </summary>
public sealed class DeadlineCallback : Callback
{
    private readonly RunStop _stop;
    private readonly TimeSpan? _budget;
    private readonly Queue<double> _epochSeconds = new();
    private DateTimeOffset _epochStart;
    private int _epochStartBatch;

    /// <summary>Creates the callback.</summary>
    /// <param name="stop">The run's stop token; the causes of a stop are recorded on it.</param>
    /// <param name="budget">Wall-time budget of the fit (<c>train.max_time</c>), started when the fit starts; null for none.</param>
    public DeadlineCallback(RunStop stop, TimeSpan? budget = null)
    {
        _stop = stop ?? throw new ArgumentNullException(nameof(stop));
        _budget = budget;
    }

    /// <summary>The stop token it polls.</summary>
    public RunStop Stop => _stop;

    /// <summary>When the job ends, if known.</summary>
    public DateTimeOffset? EndTime => _stop.EndTime;

    /// <summary>Time kept free before <see cref="EndTime"/>.</summary>
    public TimeSpan Margin => _stop.Margin;

    /// <summary>Epochs in the moving average of epoch time. Default 3.</summary>
    public int Window { get; init; } = 3;

    /// <summary>What stopped the run, or <see cref="StopCause.None"/> (the token's <see cref="RunStop.Cause"/>).</summary>
    public StopCause Cause => _stop.Cause;

    /// <summary>The signal that stopped the run (e.g. <c>USR1</c>), when <see cref="Cause"/> is <see cref="StopCause.Signal"/>.</summary>
    public string? Signal => _stop.Signal;

    /// <summary>The moving average of epoch seconds so far (NaN before the first epoch ends).</summary>
    public double EpochSecondsEstimate => _epochSeconds.Count == 0 ? double.NaN : _epochSeconds.Average();

    /// <inheritdoc />
    public override void OnFitStart(Learner learner)
    {
        if (_budget is not null) _stop.StartBudget(_budget);
    }

    /// <inheritdoc />
    public override void OnEpochStart(Learner learner)
    {
        _epochStart = _stop.Clock.GetUtcNow();
        _epochStartBatch = learner.Progress.Batches;
    }

    /// <inheritdoc />
    public override LoopAction OnBatchEnd(Learner learner, double loss)
    {
        // The fit's very last batch: nothing is left to save time for.
        if (learner.Epoch + 1 >= LastEpoch(learner) && learner.Progress.Batches >= learner.Train.BatchesPerEpoch)
            return LoopAction.Continue;
        return _stop.Poll() is { } reason ? Interrupt(learner, reason) : LoopAction.Continue;
    }

    /// <inheritdoc />
    public override LoopAction OnEpochEnd(Learner learner, EpochRecord record)
    {
        var now = _stop.Clock.GetUtcNow();
        // A resumed epoch ran only part of its batches: scale its time up to a whole epoch.
        int ran = learner.Train.BatchesPerEpoch - _epochStartBatch;
        if (ran > 0)
        {
            _epochSeconds.Enqueue((now - _epochStart).TotalSeconds * learner.Train.BatchesPerEpoch / ran);
            while (_epochSeconds.Count > Window) _epochSeconds.Dequeue();
        }
        if (learner.Epoch >= LastEpoch(learner)) return LoopAction.Continue;
        if (_stop.Poll() is { } reason) return Interrupt(learner, reason);
        if (EndTime is not { } end || _epochSeconds.Count == 0) return LoopAction.Continue;
        double next = EpochSecondsEstimate;
        if (now + TimeSpan.FromSeconds(next) <= end - Margin) return LoopAction.Continue;
        return Interrupt(learner, _stop.Stop(StopCause.Deadline,
            $"the next epoch (~{next:0.#} s) would not end {Margin.TotalSeconds:0} s before the job's end at {RunStop.Format(end)}"));
    }

    /// <inheritdoc />
    public override void OnFitEnd(Learner learner)
    {
        // The learner also stops on its cancellation token, which the CLI cancels on the same
        // signals: when that check came first, the token still says why (the signal, for the requeue),
        // and the progress line (printed after this callback) then says it, not "cancelled".
        if (learner.Interrupted && learner.StopReason == Learner.CancelledReason && _stop.Cause == StopCause.None
            && _stop.Poll() is { } reason && _stop.Cause is StopCause.Signal or StopCause.Cancelled)
            learner.ExplainCancellation(reason);
    }

    private static LoopAction Interrupt(Learner learner, string reason)
    {
        learner.Interrupted = true;
        learner.RequestStop(reason);
        return LoopAction.Stop;
    }

    private static int LastEpoch(Learner learner) => learner.Plan?.LastEpoch ?? int.MaxValue;
}
