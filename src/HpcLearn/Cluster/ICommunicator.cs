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
}
