using HpcLearn.Cluster;

namespace HpcLearn.Tasks.Clustering;

/// <summary>
/// This rank's share of n points when k-means runs on several ranks: a contiguous run of whole
/// <see cref="PointBlocks"/> (rank r of P gets blocks [r·B/P, (r+1)·B/P)), so the shards are disjoint,
/// contiguous and cover every row. Every rank holds all the points; each computes only its own
/// blocks. Partial sums are made per block exactly as in one process, then every block's partial
/// travels in an all-reduce of a zero-filled buffer (x + 0 = x, so each slot arrives unchanged) and
/// each rank adds them in block order: the totals are bit-for-bit those of one process, whatever
/// the rank count. With one rank the shard is every block and nothing is sent.
/// </summary>
internal sealed class PointShard
{
    /// <summary>Gives the partial result of block <paramref name="block"/> (a fixed width per call).</summary>
    public delegate ReadOnlySpan<double> BlockPart(int block);

    private double[] buffer = [];

    /// <param name="n">Number of points.</param>
    /// <param name="comm">The ranks (injected by the run); null is one process.</param>
    public PointShard(int n, ICommunicator? comm)
    {
        Comm = comm;
        Blocks = PointBlocks.For(n);
        int p = comm?.Size ?? 1, r = comm?.Rank ?? 0, count = Blocks.Count;
        FirstBlock = (int)((long)count * r / p);
        EndBlock = (int)((long)count * (r + 1) / p);
        Start = Math.Min(n, FirstBlock * Blocks.Size);
        End = Math.Min(n, EndBlock * Blocks.Size);
    }

    /// <summary>The ranks; null for one process.</summary>
    public ICommunicator? Comm { get; }
    public PointBlocks Blocks { get; }
    public int FirstBlock { get; }
    public int EndBlock { get; }
    /// <summary>This rank's rows: [Start, End).</summary>
    public int Start { get; }
    public int End { get; }
    public int N => Blocks.N;
    public bool Distributed => Comm is { Size: > 1 };

    /// <summary>Runs <paramref name="body"/>(block, start, end) for this rank's blocks on up to <paramref name="threads"/> threads.</summary>
    public void ForEach(int threads, Action<int, int, int> body) => Blocks.ForEach(FirstBlock, EndBlock, threads, body);

    /// <summary>Σ over all blocks, in block order, of the <paramref name="width"/> values <paramref name="part"/> gives for this rank's blocks.</summary>
    public double[] Sum(int width, BlockPart part)
    {
        var total = new double[width];
        if (!Distributed)
        {
            for (int b = 0; b < Blocks.Count; b++) Add(total, part(b));
            return total;
        }
        var all = AllBlocks(width, part);
        for (int b = 0; b < Blocks.Count; b++) Add(total, all.AsSpan(b * width, width));
        return total;
    }

    /// <summary>Every block's <paramref name="width"/> values (block b at b·width), this rank's from <paramref name="part"/>, the others' from their ranks. The array is reused by the next call.</summary>
    public double[] AllBlocks(int width, BlockPart part)
    {
        int len = Blocks.Count * width;
        if (buffer.Length != len) buffer = new double[len];
        else if (Distributed) Array.Clear(buffer);
        for (int b = Distributed ? FirstBlock : 0; b < (Distributed ? EndBlock : Blocks.Count); b++) part(b).CopyTo(buffer.AsSpan(b * width, width));
        AllReduceSum(buffer);
        return buffer;
    }

    /// <summary>True on every rank when <paramref name="mine"/> is true on any rank.</summary>
    public bool Any(bool mine) => AnyRank(Comm, mine);

    /// <summary>True on every rank of <paramref name="comm"/> when <paramref name="mine"/> is true on any (a collective call).</summary>
    public static bool AnyRank(ICommunicator? comm, bool mine)
    {
        if (comm is not { Size: > 1 }) return mine;
        Span<double> v = [mine ? 1 : 0];
        comm.AllReduceMax(v);
        return v[0] > 0;
    }

    /// <summary>Each element's sum over the ranks (unchanged on one process).</summary>
    public void AllReduceSum(Span<double> values)
    {
        if (Distributed) Comm!.AllReduceSum(values);
    }

    /// <summary>Each element's maximum over the ranks (unchanged on one process).</summary>
    public void AllReduceMax(Span<double> values)
    {
        if (Distributed) Comm!.AllReduceMax(values);
    }

    /// <summary>Fills the other ranks' rows of <paramref name="labels"/> (this rank's are [Start, End)).</summary>
    public void GatherLabels(int[] labels) => GatherRows(Comm, labels, Start, End);

    /// <summary>
    /// Gives every rank all of <paramref name="values"/> when each rank filled its rows [lo, hi):
    /// an all-reduce of a zero-filled float copy (exact for whole numbers below 2^24, such as cluster indices).
    /// </summary>
    public static void GatherRows(ICommunicator? comm, Span<int> values, int lo, int hi)
    {
        if (comm is null || comm.Size == 1) return;
        var f = new float[values.Length];
        for (int i = lo; i < hi; i++) f[i] = values[i];
        comm.AllReduceSum(f);
        for (int i = 0; i < f.Length; i++) values[i] = (int)f[i];
    }

    /// <summary>Rows [lo, hi) of <paramref name="n"/> that <paramref name="comm"/>'s rank handles when rows are split evenly.</summary>
    public static (int Lo, int Hi) Even(int n, ICommunicator? comm)
        => comm is null ? (0, n) : ((int)((long)n * comm.Rank / comm.Size), (int)((long)n * (comm.Rank + 1) / comm.Size));

    private static void Add(double[] total, ReadOnlySpan<double> part)
    {
        for (int t = 0; t < total.Length; t++) total[t] += part[t];
    }
}
