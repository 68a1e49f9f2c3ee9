namespace HpcLearn.Runs;

/// <summary>
/// The one place that derives seeds from a run's seed. Every rank computes the same value for the
/// same (seed, stream, rank), in every process and on every platform (no <see cref="HashCode"/>,
/// whose values change per process), so a run is reproducible and a resumed run draws what the
/// uninterrupted one would have.
/// </summary>
public static class Seeds
{
    /// <summary>The seed of <paramref name="stream"/> on <paramref name="rank"/> for a run seeded with <paramref name="seed"/>.</summary>
    public static int Derive(int seed, SeedStream stream, int rank = 0)
        => unchecked(seed * stream.SeedFactor + stream.Offset + stream.RankFactor * rank);

    /// <summary>A <see cref="Random"/> seeded by <see cref="Derive"/>.</summary>
    public static Random Random(int seed, SeedStream stream, int rank = 0) => new(Derive(seed, stream, rank));
}
