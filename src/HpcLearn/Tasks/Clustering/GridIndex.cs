using System.Runtime.InteropServices;

namespace HpcLearn.Tasks.Clustering;

/// <summary>
/// A uniform grid of cells of side eps over points in 1 to 3 dimensions: the neighbours within eps
/// of a point lie in its own cell or the 3^d cells around it. Points are copied in cell order so
/// that a cell is one contiguous run.
/// </summary>
internal sealed class GridIndex
{
    private readonly int d;
    private readonly double cellSize;
    private readonly float[] sorted;  // points in cell order, n × d
    private readonly int[] ids;       // original index of each sorted point
    private readonly Dictionary<(long, long, long), (int Start, int Count)> cells;

    private GridIndex(int d, double eps, float[] sorted, int[] ids, Dictionary<(long, long, long), (int, int)> cells)
    {
        this.d = d; cellSize = eps; this.sorted = sorted; this.ids = ids; this.cells = cells;
    }

    /// <summary>The grid over <paramref name="x"/>, or null where d &gt; 3 or a cell coordinate would not fit a long.</summary>
    public static GridIndex? TryBuild(float[] x, int n, int d, double eps)
    {
        if (d > 3) return null;
        eps *= 1 + 1e-9; // cells a hair wider than eps, so rounding in x / eps never hides a neighbour two cells away
        var keys = new (long, long, long)[n];
        for (int i = 0; i < n; i++)
        {
            if (!TryCell(x.AsSpan(i * d, d), eps, out keys[i])) return null;
        }
        var members = new Dictionary<(long, long, long), List<int>>();
        for (int i = 0; i < n; i++)
        {
            ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(members, keys[i], out _);
            (list ??= []).Add(i);
        }
        var sorted = new float[(long)n * d];
        var ids = new int[n];
        var cells = new Dictionary<(long, long, long), (int, int)>(members.Count);
        int at = 0;
        foreach (var (key, list) in members)
        {
            cells[key] = (at, list.Count);
            foreach (int i in list) { Array.Copy(x, (long)i * d, sorted, (long)at * d, d); ids[at++] = i; }
        }
        return new GridIndex(d, eps, sorted, ids, cells);
    }

    /// <summary>Adds the indices of the points within √<paramref name="eps2"/> (≤ eps) of <paramref name="q"/> to <paramref name="output"/>.</summary>
    public void Neighbours(ReadOnlySpan<float> q, double eps2, List<int> output)
    {
        int from = output.Count;
        Positions(q, eps2, output, null);
        for (int t = from; t < output.Count; t++) output[t] = ids[output[t]];
    }

    /// <summary>The nearest point within √<paramref name="eps2"/> of <paramref name="q"/> (ties to the lowest index), or −1.</summary>
    public int Nearest(ReadOnlySpan<float> q, double eps2, List<int> scratch)
    {
        scratch.Clear();
        var dist = new List<double>();
        Positions(q, eps2, scratch, dist);
        int best = -1; double bd = double.PositiveInfinity;
        for (int t = 0; t < scratch.Count; t++)
        {
            int id = ids[scratch[t]];
            if (dist[t] < bd || (dist[t] == bd && id < best)) { bd = dist[t]; best = id; }
        }
        return best;
    }

    /// <summary>Sorted positions (and squared distances) of the points within √<paramref name="eps2"/> of <paramref name="q"/>.</summary>
    private void Positions(ReadOnlySpan<float> q, double eps2, List<int> output, List<double>? dist)
    {
        if (!TryCell(q, cellSize, out var c)) return;
        var (a, b, cc) = c;
        long r1 = d > 1 ? 1 : 0, r2 = d > 2 ? 1 : 0;
        for (long i = a - 1; i <= a + 1; i++)
            for (long j = b - r1; j <= b + r1; j++)
                for (long k = cc - r2; k <= cc + r2; k++)
                {
                    if (!cells.TryGetValue((i, j, k), out var run)) continue;
                    for (int p = run.Start; p < run.Start + run.Count; p++)
                    {
                        double v = SqDist(q, sorted.AsSpan(p * d, d));
                        if (v <= eps2) { output.Add(p); dist?.Add(v); }
                    }
                }
    }

    internal static double SqDist(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double s = 0;
        for (int j = 0; j < a.Length; j++) { double t = (double)a[j] - b[j]; s += t * t; }
        return s;
    }

    private static bool TryCell(ReadOnlySpan<float> p, double eps, out (long, long, long) key)
    {
        Span<long> c = stackalloc long[3];
        c.Clear();
        key = default;
        for (int j = 0; j < p.Length; j++)
        {
            double v = Math.Floor(p[j] / eps);
            if (!(Math.Abs(v) < 1e15)) return false;
            c[j] = (long)v;
        }
        key = (c[0], c[1], c[2]);
        return true;
    }
}
