namespace HpcLearn.Cluster;

/// <summary>The communicator of a job with one process: every collective leaves the data as it is.</summary>
public sealed class SingleCommunicator : ICommunicator
{
    /// <inheritdoc />
    public int Rank => 0;
    /// <inheritdoc />
    public int Size => 1;
    /// <inheritdoc />
    public string Name => "single process";
    /// <inheritdoc />
    public void AllReduceSum(Span<float> data) { }
    /// <inheritdoc />
    public void AllReduceSum(Span<double> data) { }
    /// <inheritdoc />
    public void AllReduceMax(Span<float> data) { }
    /// <inheritdoc />
    public void AllReduceMax(Span<double> data) { }
    /// <inheritdoc />
    public void Broadcast(Span<float> data, int root) => CheckRoot(root);
    /// <inheritdoc />
    public void Broadcast(Span<double> data, int root) => CheckRoot(root);
    /// <inheritdoc />
    public void Broadcast(Span<byte> data, int root) => CheckRoot(root);
    /// <inheritdoc />
    public void Barrier() { }
    /// <inheritdoc />
    public void Dispose() { }

    private static void CheckRoot(int root)
    {
        if (root != 0) throw new ArgumentOutOfRangeException(nameof(root), root, "a single process has only rank 0");
    }
}
