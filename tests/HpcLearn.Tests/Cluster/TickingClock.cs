namespace HpcLearn.Tests.Cluster;

/// <summary>A clock that moves <paramref name="tick"/> forward each time it is read: a budget then runs out after a known number of looks.</summary>
internal sealed class TickingClock(DateTimeOffset start, TimeSpan tick) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (this) return _now += tick;
    }
}
