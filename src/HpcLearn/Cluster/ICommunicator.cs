namespace HpcLearn.Cluster;

/// <summary>
/// Collective operations among the ranks of a data-parallel job. Every rank must make the same
/// calls in the same order with the same lengths (MPI's rule); a rank that skips one leaves the
/// others waiting. Operations work in place on the caller's memory. Dispose ends the session
/// (MPI_Finalize for MPI). Use from one thread at a time.
/// </summary>
public interface ICommunicator : IDisposable
{
    /// <summary>This process's rank, 0 to <see cref="Size"/> - 1.</summary>
    int Rank { get; }

    /// <summary>Number of ranks.</summary>
    int Size { get; }

    /// <summary>What carries the messages, for the start-up line (e.g. <c>Open MPI v4.1.4</c>).</summary>
    string Name { get; }

    /// <summary>Replaces each element by its sum over all ranks.</summary>
    void AllReduceSum(Span<float> data);

    /// <summary>Replaces each element by its sum over all ranks.</summary>
    void AllReduceSum(Span<double> data);

    /// <summary>Replaces each element by its maximum over all ranks.</summary>
    void AllReduceMax(Span<float> data);

    /// <summary>Replaces each element by its maximum over all ranks.</summary>
    void AllReduceMax(Span<double> data);

    /// <summary>Copies <paramref name="root"/>'s data into every rank's <paramref name="data"/>.</summary>
    void Broadcast(Span<float> data, int root);

    /// <summary>Copies <paramref name="root"/>'s data into every rank's <paramref name="data"/>.</summary>
    void Broadcast(Span<double> data, int root);

    /// <summary>Copies <paramref name="root"/>'s bytes into every rank's <paramref name="data"/> (any tensor's raw memory).</summary>
    void Broadcast(Span<byte> data, int root);

    /// <summary>Returns when every rank has called it.</summary>
    void Barrier();

    /// <summary>
    /// Every rank's segment to every rank, in place. <paramref name="data"/> is the segments of
    /// ranks 0, 1, ... back to back, <paramref name="counts"/>[r] elements for rank r; on entry
    /// this rank's own segment holds its elements, on return every segment holds its rank's.
    /// This default goes through a sum (other segments zeroed first; a -0 arrives as +0);
    /// MPI gathers directly.
    /// </summary>
    void AllGather(Span<float> data, ReadOnlySpan<int> counts)
    {
        ZeroOtherSegments(data, counts, Rank, Size);
        AllReduceSum(data);
    }

    /// <inheritdoc cref="AllGather(Span{float}, ReadOnlySpan{int})"/>
    void AllGather(Span<double> data, ReadOnlySpan<int> counts)
    {
        ZeroOtherSegments(data, counts, Rank, Size);
        AllReduceSum(data);
    }

    /// <summary>Checks that <paramref name="counts"/> has one non-negative count per rank adding up to <paramref name="length"/>.</summary>
    static void CheckSegments(int length, ReadOnlySpan<int> counts, int size)
    {
        if (counts.Length != size) throw new ArgumentException($"one count per rank: {size}, not {counts.Length}", nameof(counts));
        long total = 0;
        foreach (int c in counts)
        {
            if (c < 0) throw new ArgumentOutOfRangeException(nameof(counts), c, "a count is never negative");
            total += c;
        }
        if (total != length) throw new ArgumentException($"the counts add up to {total}, but the data holds {length} elements", nameof(counts));
    }

    private static void ZeroOtherSegments<T>(Span<T> data, ReadOnlySpan<int> counts, int rank, int size) where T : struct
    {
        CheckSegments(data.Length, counts, size);
        int at = 0;
        for (int r = 0; r < size; at += counts[r], r++)
            if (r != rank) data.Slice(at, counts[r]).Clear();
    }
}
