using HpcLearn.Cluster;
using Xunit;

namespace HpcLearn.Tests.Cluster;

public sealed class StopSignalsTests
{
    [Fact]
    public void The_first_signal_is_kept_and_cancels_the_token()
    {
        using var signals = StopSignals.None();
        Assert.False(signals.Token.IsCancellationRequested);
        signals.Raise("usr1");
        signals.Raise("term");
        Assert.Equal("USR1", signals.Received);
        Assert.True(signals.Token.IsCancellationRequested);
    }

    [Fact]
    public void A_signal_after_dispose_is_harmless()
    {
        var signals = StopSignals.None();
        signals.Dispose();
        signals.Raise("term");
        Assert.Equal("TERM", signals.Received);
    }
}
