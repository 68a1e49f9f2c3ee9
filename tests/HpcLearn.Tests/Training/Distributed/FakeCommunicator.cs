using HpcLearn.Cluster;

using HpcLearn.Runs;

namespace HpcLearn.Tests.Training.Distributed;

/// <summary>
/// One rank of a pretend job, in process. By default every other rank is assumed to hold the
/// same data as this one (a sum multiplies by the size; a max or broadcast changes nothing);
/// tests replace the peers' contribution to check the arithmetic. Records every call.
/// </summary>
internal sealed class FakeCommunicator(int rank, int size) : ICommunicator
{
    public int Rank => rank;
    public int Size => size;
    public string Name => "fake";

    /// <summary>What the other ranks add to element i holding value v (default: the same value, from each of them).</summary>
    public Func<int, double, double> PeerSum { get; set; } = (_, v) => (size - 1) * v;

    /// <summary>The max over the other ranks of element i (default: this rank's value).</summary>
    public Func<int, double, double> PeerMax { get; set; } = (_, v) => v;

    /// <summary>Bytes the root sends in byte broadcasts (default: this rank's, unchanged).</summary>
    public byte[]? RootBytes { get; set; }

    public List<string> Calls { get; } = new();

    public void AllReduceSum(Span<float> data)
    {
        Calls.Add($"sum float[{data.Length}]");
        for (int i = 0; i < data.Length; i++) data[i] = (float)(data[i] + PeerSum(i, data[i]));
    }

    public void AllReduceSum(Span<double> data)
    {
        Calls.Add($"sum double[{data.Length}]");
        for (int i = 0; i < data.Length; i++) data[i] += PeerSum(i, data[i]);
    }

    public void AllReduceMax(Span<float> data)
    {
        Calls.Add($"max float[{data.Length}]");
        for (int i = 0; i < data.Length; i++) data[i] = (float)Math.Max(data[i], PeerMax(i, data[i]));
    }

    public void AllReduceMax(Span<double> data)
    {
        Calls.Add($"max double[{data.Length}]");
        for (int i = 0; i < data.Length; i++) data[i] = Math.Max(data[i], PeerMax(i, data[i]));
    }

    public void Broadcast(Span<float> data, int root) => Calls.Add($"broadcast float[{data.Length}] from {root}");

    public void Broadcast(Span<double> data, int root) => Calls.Add($"broadcast double[{data.Length}] from {root}");

    public void Broadcast(Span<byte> data, int root)
    {
        Calls.Add($"broadcast byte[{data.Length}] from {root}");
        if (RootBytes is not null && rank != root) RootBytes.AsSpan(0, data.Length).CopyTo(data);
    }

    public void Barrier() => Calls.Add("barrier");

    /// <summary>What the other ranks' segments hold after an all-gather, element i (default: unchanged: the same as here).</summary>
    public Func<int, double, double>? PeerGather { get; set; }

    public void AllGather(Span<float> data, ReadOnlySpan<int> counts)
    {
        Calls.Add($"allgather float[{data.Length}]");
        ICommunicator.CheckSegments(data.Length, counts, size);
        int start = counts[..rank].ToArray().Sum(), end = start + counts[rank];
        if (PeerGather is { } peer)
            for (int i = 0; i < data.Length; i++) if (i < start || i >= end) data[i] = (float)peer(i, data[i]);
    }

    public void AllGather(Span<double> data, ReadOnlySpan<int> counts)
    {
        Calls.Add($"allgather double[{data.Length}]");
        ICommunicator.CheckSegments(data.Length, counts, size);
        int start = counts[..rank].ToArray().Sum(), end = start + counts[rank];
        if (PeerGather is { } peer)
            for (int i = 0; i < data.Length; i++) if (i < start || i >= end) data[i] = peer(i, data[i]);
    }

    public void Dispose() { }
}
