namespace HpcLearn.Tasks.Clustering;

/// <summary>
/// A fixed split of n points into at most 256 contiguous blocks. It depends on n only, and partial
/// results are merged in block order, so sums come out the same for every thread count (and, through
/// <see cref="PointShard"/>, for every rank count).
/// </summary>
internal readonly record struct PointBlocks(int N, int Size)
{
    public static PointBlocks For(int n) => new(n, Math.Max(2048, (n + 255) / 256));

    public int Count => (N + Size - 1) / Size;

    public (int Start, int End) this[int b] => (b * Size, Math.Min(N, (b + 1) * Size));

    /// <summary>Runs <paramref name="body"/> for each block on up to <paramref name="threads"/> threads.</summary>
    public void ForEach(int threads, Action<int, int, int> body) => ForEach(0, Count, threads, body);

    /// <summary>Runs <paramref name="body"/> for blocks [<paramref name="first"/>, <paramref name="end"/>) on up to <paramref name="threads"/> threads.</summary>
    public void ForEach(int first, int end, int threads, Action<int, int, int> body)
    {
        var self = this;
        if (threads <= 1 || end - first <= 1)
            for (int b = first; b < end; b++) { var (s, e) = this[b]; body(b, s, e); }
        else
            Parallel.For(first, end, new ParallelOptions { MaxDegreeOfParallelism = threads }, b => { var (s, e) = self[b]; body(b, s, e); });
    }
}
