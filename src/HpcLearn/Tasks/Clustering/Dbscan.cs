namespace HpcLearn.Tasks.Clustering;

/// <summary>
/// DBSCAN (Ester et al., 1996) as scikit-learn's: a point with at least min_samples points within
/// eps (itself included) is a core point; core points within eps of each other share a cluster;
/// a non-core point within eps of a core point is a border point of that cluster, and every other
/// point is noise (−1). Clusters are numbered in the order of their lowest-index core point, and a
/// border point within reach of several clusters goes to the lowest-numbered one: exactly the
/// labels of scikit-learn's <c>dbscan_inner</c>. Neighbours come from a grid of cells of side eps
/// for up to three columns, and from a blocked brute-force search above; both multi-threaded.
/// </summary>
public static class Dbscan
{
    private const string Who = "DBSCAN";
    private const long MaxPairs = 400_000_000; // 1.6 GB of neighbour lists

    /// <summary>Clusters <paramref name="n"/> points of <paramref name="d"/> columns stored row-major in <paramref name="data"/>.</summary>
    /// <exception cref="UserError">Empty data, a shape mismatch, NaN or infinity (naming row and column), bad options, or an eps so large that the neighbour lists would not fit in memory.</exception>
    public static DbscanResult Fit(float[] data, int n, int d, DbscanOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        DataChecks.Shape(Who, data, n, d);
        options.Validate();
        DataChecks.MeanVarianceOrThrow(Who, data, n, d, options.Threads);
        double eps2 = options.Eps * options.Eps;
        var grid = d <= options.GridMaxDimensions ? GridIndex.TryBuild(data, n, d, options.Eps) : null;
        var (offsets, flat) = grid is not null ? GridNeighbours(data, n, d, grid, eps2, options.Threads) : BruteNeighbours(data, n, d, eps2, options.Threads);

        var core = new bool[n];
        for (int i = 0; i < n; i++) core[i] = offsets[i + 1] - offsets[i] >= options.MinSamples;
        var labels = new int[n];
        Array.Fill(labels, -1);
        var stack = new Stack<int>();
        int cluster = 0;
        for (int start = 0; start < n; start++)
        {
            if (labels[start] != -1 || !core[start]) continue;
            // scikit-learn's dbscan_inner: depth-first from the lowest unlabelled core point; a border
            // point is labelled by the first cluster that reaches it and never expanded.
            int i = start;
            while (true)
            {
                if (labels[i] == -1)
                {
                    labels[i] = cluster;
                    if (core[i])
                        for (long t = offsets[i]; t < offsets[i + 1]; t++)
                            if (labels[flat[t]] == -1) stack.Push(flat[t]);
                }
                if (stack.Count == 0) break;
                i = stack.Pop();
            }
            cluster++;
        }
        int noise = labels.Count(l => l < 0);
        return new DbscanResult(labels, core, cluster, noise, grid is not null ? "grid" : "brute force");
    }

    /// <summary>
    /// Assigns new points to the cluster of their nearest core point if it lies within eps, and to
    /// noise (−1) otherwise. (DBSCAN itself defines no prediction; this is the usual extension.)
    /// </summary>
    /// <param name="data">New points, m × d row-major.</param>
    /// <param name="m">Number of new points.</param>
    /// <param name="d">Columns.</param>
    /// <param name="corePoints">The fitted core points, c × d row-major.</param>
    /// <param name="coreLabels">Their clusters.</param>
    /// <param name="eps">The radius used in the fit.</param>
    public static int[] Predict(float[] data, int m, int d, float[] corePoints, int[] coreLabels, double eps)
    {
        DataChecks.Shape(Who, data, m, d);
        ArgumentNullException.ThrowIfNull(corePoints);
        ArgumentNullException.ThrowIfNull(coreLabels);
        int c = coreLabels.Length;
        if (corePoints.Length != (long)c * d) throw new UserError($"{Who}: core points must hold {c} x {d} values");
        var labels = new int[m];
        Array.Fill(labels, -1);
        if (c == 0) return labels;
        double eps2 = eps * eps;
        var grid = d <= 3 ? GridIndex.TryBuild(corePoints, c, d, eps) : null;
        var scratch = new List<int>();
        for (int i = 0; i < m; i++)
        {
            var q = data.AsSpan(i * d, d);
            int best = -1;
            if (grid is not null) best = grid.Nearest(q, eps2, scratch);
            else
            {
                double bd = double.PositiveInfinity;
                for (int p = 0; p < c; p++)
                {
                    double v = GridIndex.SqDist(q, corePoints.AsSpan(p * d, d));
                    if (v <= eps2 && v < bd) { bd = v; best = p; }
                }
            }
            if (best >= 0) labels[i] = coreLabels[best];
        }
        return labels;
    }

    private static (long[] Offsets, int[] Flat) GridNeighbours(float[] x, int n, int d, GridIndex grid, double eps2, int threads)
    {
        var blocks = PointBlocks.For(n);
        var lists = new List<int>[blocks.Count];
        var counts = new int[n];
        long total = 0;
        blocks.ForEach(threads, (b, s, e) =>
        {
            var list = new List<int>();
            for (int i = s; i < e && Interlocked.Read(ref total) <= MaxPairs; i++)
            {
                int before = list.Count;
                grid.Neighbours(x.AsSpan(i * d, d), eps2, list);
                counts[i] = list.Count - before;
            }
            if (Interlocked.Add(ref total, list.Count) <= MaxPairs) lists[b] = list;
        });
        if (total > MaxPairs) throw TooMany(); // thrown here: inside Parallel.For it would arrive wrapped
        return Merge(lists, counts, n);
    }

    /// <summary>Neighbour lists by brute force, tiled: a block of queries against 256 points at a time, so the tile stays in cache.</summary>
    private static (long[] Offsets, int[] Flat) BruteNeighbours(float[] x, int n, int d, double eps2, int threads)
    {
        const int Tile = 256;
        var blocks = new PointBlocks(n, 256);
        var lists = new List<int>[blocks.Count];
        var counts = new int[n];
        long total = 0;
        blocks.ForEach(threads, (b, s, e) =>
        {
            var per = new List<int>[e - s];
            for (int i = s; i < e; i++) per[i - s] = [];
            for (int t0 = 0; t0 < n; t0 += Tile)
            {
                int t1 = Math.Min(n, t0 + Tile);
                for (int i = s; i < e; i++)
                {
                    var q = x.AsSpan(i * d, d);
                    var mine = per[i - s];
                    for (int j = t0; j < t1; j++)
                        if (GridIndex.SqDist(q, x.AsSpan(j * d, d)) <= eps2) mine.Add(j);
                }
            }
            var list = new List<int>();
            for (int i = s; i < e; i++) { counts[i] = per[i - s].Count; list.AddRange(per[i - s]); }
            if (Interlocked.Add(ref total, list.Count) <= MaxPairs) lists[b] = list;
        });
        if (total > MaxPairs) throw TooMany(); // thrown here: inside Parallel.For it would arrive wrapped
        return Merge(lists, counts, n);
    }

    private static (long[] Offsets, int[] Flat) Merge(List<int>[] lists, int[] counts, int n)
    {
        var offsets = new long[n + 1];
        for (int i = 0; i < n; i++) offsets[i + 1] = offsets[i] + counts[i];
        var flat = new int[offsets[n]];
        long at = 0;
        foreach (var list in lists) { list.CopyTo(flat, (int)at); at += list.Count; }
        return (offsets, flat);
    }

    private static UserError TooMany() =>
        new($"{Who}: more than {MaxPairs:N0} neighbour pairs within eps (the neighbour lists would not fit in memory); lower eps");
}
