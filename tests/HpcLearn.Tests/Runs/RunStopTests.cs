using HpcLearn.Runs;
using HpcLearn.Tests.Cluster;
using Xunit;

namespace HpcLearn.Tests.Runs;

/// <summary>The one stop token: each cause with its reason, on a fake clock, and the first cause kept.</summary>
public sealed class RunStopTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_token_with_nothing_to_watch_never_stops()
    {
        var stop = new RunStop();
        Assert.Null(stop.Poll());
        Assert.Equal(StopCause.None, stop.Cause);
        Assert.Null(stop.Reason);
    }

    [Fact]
    public void A_signal_stops_with_its_name()
    {
        string? received = null;
        var stop = new RunStop { Signals = () => received };
        Assert.Null(stop.Poll());
        received = "USR1";
        Assert.Equal("signal USR1 received", stop.Poll());
        Assert.Equal((StopCause.Signal, "USR1"), (stop.Cause, stop.Signal));
    }

    [Fact]
    public void The_job_end_stops_once_only_the_margin_is_left()
    {
        var clock = new ManualClock(T0);
        var stop = new RunStop(clock: clock) { EndTime = T0.AddMinutes(10), Margin = TimeSpan.FromSeconds(120) };
        clock.Advance(TimeSpan.FromSeconds(479));
        Assert.Null(stop.Poll());
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("the job ends at 2026-11-27 12:10:00 UTC and only the 120 s margin is left", stop.Poll());
        Assert.Equal(StopCause.Deadline, stop.Cause);
    }

    [Fact]
    public void The_budget_counts_from_its_start()
    {
        var clock = new ManualClock(T0);
        var stop = new RunStop(clock: clock);
        clock.Advance(TimeSpan.FromHours(2));
        stop.StartBudget(TimeSpan.FromMinutes(90));
        Assert.Equal(T0.AddHours(3.5), stop.BudgetEnd);
        clock.Advance(TimeSpan.FromMinutes(90) - TimeSpan.FromSeconds(1));
        Assert.Null(stop.Poll());
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("time budget reached (train.max_time 01:30:00)", stop.Poll());
        Assert.Equal(StopCause.Budget, stop.Cause);

        // A new budget (the next fit of the same run) forgets the old budget's stop.
        stop.StartBudget(TimeSpan.FromMinutes(1));
        Assert.Null(stop.Poll());
        Assert.Equal(StopCause.None, stop.Cause);
        stop.StartBudget(null);
        clock.Advance(TimeSpan.FromDays(1));
        Assert.Null(stop.Poll());
    }

    [Fact]
    public void A_cancelled_token_stops_as_cancelled()
    {
        using var source = new CancellationTokenSource();
        var stop = new RunStop(source.Token);
        Assert.Null(stop.Poll());
        source.Cancel();
        Assert.Equal(RunStop.CancelledReason, stop.Poll());
        Assert.Equal(StopCause.Cancelled, stop.Cause);
    }

    [Fact]
    public void A_signal_wins_over_the_token_it_cancels_and_the_first_cause_is_kept()
    {
        // The CLI's listener cancels its token on the signal: the stop still says the signal.
        using var source = new CancellationTokenSource();
        var clock = new ManualClock(T0);
        string? received = null;
        var stop = new RunStop(source.Token, clock) { Signals = () => received, EndTime = T0.AddSeconds(10) };
        received = "TERM";
        source.Cancel();
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("signal TERM received", stop.Poll());

        // Later causes change nothing: the command reads the first one to decide on a requeue.
        Assert.Equal("signal TERM received", stop.Stop(StopCause.Deadline, "the next epoch would not end in time"));
        Assert.Equal(StopCause.Signal, stop.Cause);
    }

    [Fact]
    public void A_stop_decided_elsewhere_is_recorded()
    {
        var stop = new RunStop();
        Assert.Equal("the next epoch would not end in time", stop.Stop(StopCause.Deadline, "the next epoch would not end in time"));
        Assert.Equal("the next epoch would not end in time", stop.Poll());
        Assert.Equal(StopCause.Deadline, stop.Cause);
        Assert.Throws<ArgumentOutOfRangeException>(() => stop.Stop(StopCause.None, "no"));
    }
}
