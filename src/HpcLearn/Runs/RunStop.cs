using System.Globalization;

namespace HpcLearn.Runs;

/// <summary>
/// The one stop token of a run: every training loop (the Learner's, text's steps, the PDE solver's
/// iterations, self-play's iterations, k-means') polls it between steps and, when it answers a
/// reason, checkpoints and stops cleanly. It says stop when a stop signal has arrived, when its
/// <see cref="Token"/> is cancelled, when the job's end time minus the margin is reached, or when
/// the run's wall-time budget is used up; the first cause is kept (<see cref="Cause"/>), so the
/// command that started the run can tell a deadline (requeue) from a signal or a budget.
/// </summary>
/// <remarks>
/// The world is injected: the signals as a function (the CLI passes its listener's first signal;
/// no task listens for signals itself) and the clock, so tests drive every cause. A token that is
/// never cancelled, with no signals, end time or budget, never stops.
/// </remarks>
public sealed class RunStop
{
    /// <summary>The reason of a stop by a cancelled <see cref="Token"/>.</summary>
    public const string CancelledReason = "cancelled";

    private readonly Lock _gate = new();
    private readonly TimeSpan _margin;
    private DateTimeOffset? _budgetEnd;
    private string? _budgetText;

    /// <summary>Creates a token.</summary>
    /// <param name="cancel">Stops the run once cancelled (the C# API's stop; the CLI's signal listener's token).</param>
    /// <param name="clock">The clock for the end time and the budget (a fake one in tests). Default: the system's.</param>
    public RunStop(CancellationToken cancel = default, TimeProvider? clock = null)
    {
        Token = cancel;
        Clock = clock ?? TimeProvider.System;
    }

    /// <summary>
    /// Cancelled when a stop signal arrives or the caller cancels: for work that runs before a loop
    /// polls (loading a large data file), which ends with <see cref="OperationCanceledException"/>
    /// before anything is written.
    /// </summary>
    public CancellationToken Token { get; }

    /// <summary>The clock of <see cref="EndTime"/> and the budget.</summary>
    public TimeProvider Clock { get; }

    /// <summary>The first stop signal received (upper case, e.g. <c>USR1</c>) or null; null when nothing listens.</summary>
    public Func<string?>? Signals { get; init; }

    /// <summary>When the job ends (Slurm's end time); null when unknown.</summary>
    public DateTimeOffset? EndTime { get; init; }

    /// <summary>Time kept free before <see cref="EndTime"/> (checkpoint, requeue, exit). Default 0.</summary>
    public TimeSpan Margin
    {
        get => _margin;
        init => _margin = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(Margin), "must not be negative");
    }

    /// <summary>When the wall-time budget started by <see cref="StartBudget"/> runs out; null without one.</summary>
    public DateTimeOffset? BudgetEnd => _budgetEnd;

    /// <summary>What stopped the run, or <see cref="StopCause.None"/>.</summary>
    public StopCause Cause { get; private set; }

    /// <summary>The signal that stopped the run (e.g. <c>USR1</c>), when <see cref="Cause"/> is <see cref="StopCause.Signal"/>.</summary>
    public string? Signal { get; private set; }

    /// <summary>Why the run stopped (the line its log prints), or null.</summary>
    public string? Reason { get; private set; }

    /// <summary>
    /// Starts the run's wall-time budget now (a loop calls it where its training starts): the token
    /// says stop once <paramref name="budget"/> has passed. Null removes the budget. A stop for an
    /// earlier budget is forgotten; any other stop stays.
    /// </summary>
    /// <param name="budget">The budget; null for none.</param>
    /// <param name="key">The config key that set it, named in the stop's reason.</param>
    public void StartBudget(TimeSpan? budget, string key = "train.max_time")
    {
        lock (_gate)
        {
            _budgetEnd = budget is { } b ? Clock.GetUtcNow() + b : null;
            _budgetText = budget is { } t ? $"{key} {Hours(t)}" : null;
            if (Cause == StopCause.Budget) (Cause, Reason) = (StopCause.None, null);
        }
    }

    /// <summary>
    /// Checks every cause now, in the order signal, cancelled token, job end, budget. Returns why
    /// to stop (and records it as <see cref="Cause"/>, <see cref="Signal"/> and <see cref="Reason"/>),
    /// or null to go on. Once it has said stop, it keeps saying the same.
    /// </summary>
    public string? Poll()
    {
        if (Reason is { } said) return said;
        if (Signals?.Invoke() is { } signal) return Stop(StopCause.Signal, $"signal {signal} received", signal);
        if (Token.IsCancellationRequested) return Stop(StopCause.Cancelled, CancelledReason);
        if (EndTime is null && _budgetEnd is null) return null;
        var now = Clock.GetUtcNow();
        if (EndTime is { } end && now >= end - Margin)
            return Stop(StopCause.Deadline, $"the job ends at {Format(end)} and only the {Margin.TotalSeconds:0} s margin is left");
        if (_budgetEnd is { } budgetEnd && now >= budgetEnd)
            return Stop(StopCause.Budget, $"time budget reached ({_budgetText})");
        return null;
    }

    /// <summary>
    /// Records a stop decided elsewhere (the Learner's estimate that the next epoch would pass the
    /// job's end). The first stop wins; returns the reason recorded.
    /// </summary>
    public string Stop(StopCause cause, string reason, string? signal = null)
    {
        if (cause == StopCause.None) throw new ArgumentOutOfRangeException(nameof(cause), "a stop needs a cause");
        lock (_gate)
        {
            if (Reason is null) (Cause, Signal, Reason) = (cause, signal, reason);
            return Reason;
        }
    }

    /// <summary>A time as the stop lines print it: <c>2026-11-27 12:00:00 UTC</c>.</summary>
    public static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    private static string Hours(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{(long)t.TotalHours:00}:{t.Minutes:00}:{t.Seconds:00}");
}
