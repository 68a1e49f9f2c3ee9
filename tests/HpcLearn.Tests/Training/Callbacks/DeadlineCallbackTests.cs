using HpcLearn.Cluster;
using HpcLearn.Tests.Cluster;
using HpcLearn.Runs;
using HpcLearn.Training;
using HpcLearn.Training.Callbacks;
using Xunit;

namespace HpcLearn.Tests.Training.Callbacks;

/// <summary>
/// The deadline arithmetic on the tiny learner (8 batches per epoch) with a fake clock that
/// moves one second per batch, so every epoch takes exactly 8 s.
/// </summary>
public sealed class DeadlineCallbackTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Moves the clock one second per batch, before the deadline callback looks at it.</summary>
    private sealed class Tick(ManualClock clock, Action<Learner>? atBatch = null) : Callback
    {
        public override int Order => 0;

        public override LoopAction OnBatchEnd(Learner learner, double loss)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            atBatch?.Invoke(learner);
            return LoopAction.Continue;
        }
    }

    /// <summary>The stop token as the CLI builds it: the signals, the job's end and the margin.</summary>
    internal static RunStop Stop(StopSignals signals, TimeProvider clock, DateTimeOffset? end, TimeSpan margin) =>
        new(signals.Token, clock) { Signals = () => signals.Received, EndTime = end, Margin = margin };

    private static (Tiny Tiny, DeadlineCallback Deadline) Setup(DateTimeOffset? end, TimeSpan margin, StopSignals? signals = null,
        Action<Learner>? atBatch = null)
    {
        var clock = new ManualClock(T0);
        var deadline = new DeadlineCallback(Stop(signals ?? StopSignals.None(), clock, end, margin));
        return (new Tiny(callbacks: [new Tick(clock, atBatch), deadline]), deadline);
    }

    [Fact]
    public void Stops_at_the_epoch_end_after_which_the_next_epoch_would_pass_end_minus_margin()
    {
        // Epochs end at 8, 16, 24 s; with the end at 30 s and a 5 s margin, 16 + 8 <= 25 but 24 + 8 > 25.
        var (t, deadline) = Setup(T0.AddSeconds(30), TimeSpan.FromSeconds(5));
        using (t)
        {
            t.Learner.Fit(10);

            Assert.Equal(3, t.Learner.Epoch);
            Assert.Equal(0, t.Learner.Progress.Batches);
            Assert.True(t.Learner.Interrupted);
            Assert.Equal(StopCause.Deadline, deadline.Cause);
            Assert.Equal(8, deadline.EpochSecondsEstimate, 9);
            Assert.Equal("the next epoch (~8 s) would not end 5 s before the job's end at 2026-11-27 12:00:30 UTC", t.Learner.StopReason);
        }
    }

    [Fact]
    public void Stops_mid_epoch_when_end_minus_margin_is_reached_before_any_epoch_estimate()
    {
        // End at 7.5 s, margin 2 s: the sixth batch ends at 6 s >= 5.5 s.
        var (t, deadline) = Setup(T0.AddSeconds(7.5), TimeSpan.FromSeconds(2));
        using (t)
        {
            t.Learner.Fit(3);

            Assert.Equal(0, t.Learner.Epoch);
            Assert.Equal(6, t.Learner.Progress.Batches);
            Assert.Equal(StopCause.Deadline, deadline.Cause);
            Assert.Equal("the job ends at 2026-11-27 12:00:07 UTC and only the 2 s margin is left", t.Learner.StopReason);
        }
    }

    [Fact]
    public void A_signal_stops_after_the_batch_it_arrives_in_without_any_end_time()
    {
        var signals = StopSignals.None();
        var (t, deadline) = Setup(null, TimeSpan.FromSeconds(120), signals,
            l => { if (l.Epoch == 1 && l.Progress.Batches == 3) signals.Raise("usr1"); });
        using (t)
        {
            t.Learner.Fit(5);

            Assert.Equal(1, t.Learner.Epoch);
            Assert.Equal(3, t.Learner.Progress.Batches);
            Assert.True(t.Learner.Interrupted);
            Assert.Equal(StopCause.Signal, deadline.Cause);
            Assert.Equal("USR1", deadline.Signal);
            Assert.Equal("signal USR1 received", t.Learner.StopReason);
        }
    }

    // Raises a signal after the deadline callback has looked for this batch (a later order).
    private sealed class LateSignal(StopSignals signals) : Callback
    {
        public override int Order => CallbackOrder.Progress + 1;

        public override LoopAction OnBatchEnd(Learner learner, double loss)
        {
            if (learner.Epoch == 1 && learner.Progress.Batches == 3) signals.Raise("usr1");
            return LoopAction.Continue;
        }
    }

    [Fact]
    public void A_signal_that_the_cancellation_token_sees_first_still_stops_as_that_signal()
    {
        // The CLI cancels the fit's token on the same signals: a signal that lands after this callback
        // looked is seen by the token at the next batch. The stop must still say the signal (the log
        // line, and the requeue that follows a USR1), not "cancelled". A real Slurm job hit this.
        var signals = StopSignals.None();
        var clock = new ManualClock(T0);
        var deadline = new DeadlineCallback(Stop(signals, clock, null, TimeSpan.FromSeconds(120)));
        using var t = new Tiny(callbacks: [new Tick(clock), deadline, new LateSignal(signals)]);

        t.Learner.Fit(5, signals.Token);

        Assert.Equal(1, t.Learner.Epoch);
        Assert.Equal(3, t.Learner.Progress.Batches);
        Assert.True(t.Learner.Interrupted);
        Assert.Equal(StopCause.Signal, deadline.Cause);
        Assert.Equal("signal USR1 received", t.Learner.StopReason);
    }

    [Fact]
    public void A_signal_in_the_last_batch_of_the_fit_does_not_interrupt_a_finished_fit()
    {
        var signals = StopSignals.None();
        var (t, deadline) = Setup(null, TimeSpan.Zero, signals,
            l => { if (l.Epoch == 1 && l.Progress.Batches == Tiny.Batches) signals.Raise("TERM"); });
        using (t)
        {
            t.Learner.Fit(2);

            Assert.Equal(2, t.Learner.Epoch);
            Assert.False(t.Learner.Interrupted);
            Assert.Null(t.Learner.StopReason);
            Assert.Equal(StopCause.None, deadline.Cause);
        }
    }

    [Fact]
    public void A_resumed_partial_epoch_counts_as_a_whole_epoch_scaled_from_the_batches_it_ran()
    {
        var clock = new ManualClock(T0);
        var deadline = new DeadlineCallback(Stop(StopSignals.None(), clock, T0.AddHours(1), TimeSpan.Zero));
        using var t = new Tiny();
        t.Learner.Progress = new EpochProgress(6, 0, 0);
        deadline.OnEpochStart(t.Learner);
        clock.Advance(TimeSpan.FromSeconds(3)); // 2 batches in 3 s -> 8 batches in 12 s
        deadline.OnEpochEnd(t.Learner, new EpochRecord(1, 8, 1, 1, new Dictionary<string, double>(), 1e-3, 3));

        Assert.Equal(12, deadline.EpochSecondsEstimate, 9);
    }

    [Fact]
    public void The_estimate_is_the_mean_of_the_last_three_epochs()
    {
        var clock = new ManualClock(T0);
        var deadline = new DeadlineCallback(Stop(StopSignals.None(), clock, T0.AddHours(1), TimeSpan.Zero));
        using var t = new Tiny();
        foreach (int seconds in new[] { 100, 10, 20, 30 })
        {
            deadline.OnEpochStart(t.Learner);
            clock.Advance(TimeSpan.FromSeconds(seconds));
            deadline.OnEpochEnd(t.Learner, new EpochRecord(1, 8, 1, 1, new Dictionary<string, double>(), 1e-3, seconds));
        }

        Assert.Equal(20, deadline.EpochSecondsEstimate, 9);
    }

    [Fact]
    public void A_negative_margin_is_refused()
        => Assert.Throws<ArgumentOutOfRangeException>(() => new RunStop { Margin = TimeSpan.FromSeconds(-1) });

    [Fact]
    public void The_budget_starts_with_the_fit_and_stops_it_mid_epoch()
    {
        // One second per batch and a 10 s budget: the tenth batch (epoch 1, batch 2) uses it up.
        var clock = new ManualClock(T0);
        var stop = new RunStop(clock: clock);
        clock.Advance(TimeSpan.FromHours(1));   // time before the fit (loading data) does not count
        var deadline = new DeadlineCallback(stop, TimeSpan.FromSeconds(10));
        using var t = new Tiny(callbacks: [new Tick(clock), deadline]);

        t.Learner.Fit(5);

        Assert.Equal((1, 2), (t.Learner.Epoch, t.Learner.Progress.Batches));
        Assert.True(t.Learner.Interrupted);
        Assert.Equal(StopCause.Budget, deadline.Cause);
        Assert.Equal("time budget reached (train.max_time 00:00:10)", t.Learner.StopReason);
    }

    [Fact]
    public void A_cancelled_token_stops_as_cancelled()
    {
        using var source = new CancellationTokenSource();
        var deadline = new DeadlineCallback(new RunStop(source.Token));
        using var t = new Tiny(callbacks: [new Tick(new ManualClock(T0), l => { if (l.Step == 3) source.Cancel(); }), deadline]);

        t.Learner.Fit(2, source.Token);

        Assert.Equal(3, t.Learner.Step);
        Assert.Equal(StopCause.Cancelled, deadline.Cause);
        Assert.Equal(RunStop.CancelledReason, t.Learner.StopReason);
    }
}
