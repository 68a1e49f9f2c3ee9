using HpcLearn.Cluster;

using HpcLearn.Runs;

namespace HpcLearn.Training.Distributed;

/// <summary>
/// Checks that every rank holds the same small vector of numbers (layout fingerprints, key
/// counts, batches per epoch) before collectives whose number or lengths depend on them: ranks
/// that disagree would otherwise corrupt each other's memory or wait for ever.
/// </summary>
internal static class RankAgreement
{
    /// <summary>Throws when <paramref name="values"/> differ between ranks (exact for integers up to 2^53).</summary>
    public static void Check(ICommunicator comm, ReadOnlySpan<double> values, string what)
    {
        if (Agree(comm, values, out int i, out double min, out double max)) return;
        throw new InvalidOperationException(
            $"ranks disagree on {what} (rank {comm.Rank} has {values[i]}, others between {min} and {max}); " +
            "every rank must build the same model from the same config");
    }

    /// <summary>
    /// True when every rank holds the same <paramref name="values"/>; otherwise the first index
    /// that differs, with its smallest and largest value over the ranks. One all-reduce; every
    /// rank gets the same answer.
    /// </summary>
    public static bool Agree(ICommunicator comm, ReadOnlySpan<double> values, out int index, out double min, out double max)
    {
        (index, min, max) = (-1, 0, 0);
        if (comm.Size == 1) return true;
        // max(v) and max(-v) = -min(v) in one all-reduce; they are equal everywhere iff all ranks agree.
        var both = new double[values.Length * 2];
        for (int i = 0; i < values.Length; i++) { both[i] = values[i]; both[values.Length + i] = -values[i]; }
        comm.AllReduceMax(both);
        for (int i = 0; i < values.Length; i++)
            if (both[i] != -both[values.Length + i])
            {
                (index, min, max) = (i, -both[values.Length + i], both[i]);
                return false;
            }
        return true;
    }
}
