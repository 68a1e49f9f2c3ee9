using System.Numerics;
namespace HpcLearn.Tasks.Clustering;

/// <summary>Input checks shared by k-means and the metrics: shape, NaN/infinity, distinct rows, feature variance.</summary>
internal static class DataChecks
{
    public static void Shape(string who, Array? data, int n, int d)
    {
        if (data is null) throw new UserError($"{who}: data is missing");
        if (n <= 0 || data.Length == 0) throw new UserError($"{who}: the data is empty (no points)");
        if (d < 1) throw new UserError($"{who}: the number of columns must be at least 1 (got {d})");
        if (data.Length != (long)n * d)
            throw new UserError($"{who}: data has {data.Length} values, expected n x d = {n} x {d} = {(long)n * d}");
    }

    /// <summary>Mean of the column variances (per-block sums merged in block order, so thread- and rank-count independent); throws naming the first NaN or infinite value (1-based row and column).</summary>
    public static double MeanVarianceOrThrow(string who, float[] x, int n, int d, int threads = 1, PointShard? shard = null)
    {
        shard ??= new PointShard(n, null);
        var part = new double[shard.Blocks.Count][];
        shard.ForEach(threads, (b, s, e) =>
        {
            var acc = new double[2 * d];
            for (int i = s; i < e; i++) AddShifted(x.AsSpan(i * d, d), x.AsSpan(0, d), acc.AsSpan(0, d), acc.AsSpan(d, d));
            part[b] = acc;
        });
        // A NaN on any rank makes every rank's total NaN, and each holds all the data to name it.
        var sum = shard.Sum(2 * d, b => part[b]);
        double total = 0;
        for (int j = 0; j < d; j++) total += sum[d + j] / n - (sum[j] / n) * (sum[j] / n);
        if (!double.IsFinite(total)) ThrowFirstNonFinite(who, x, d);
        return Math.Max(0, total / d);
    }

    /// <summary>
    /// sum[j] += v, squares[j] += v·v with v = row[j] − shift[j] in double, vectorised over j (a
    /// separate multiply and add, no fused multiply-add: the same bits as the scalar loop).
    /// </summary>
    private static void AddShifted(ReadOnlySpan<float> row, ReadOnlySpan<float> shift, Span<double> sum, Span<double> squares)
    {
        int j = 0, w = Vector<float>.Count, half = Vector<double>.Count;
        for (; j + w <= row.Length; j += w)
        {
            Vector.Widen(new Vector<float>(row[j..]), out var xl, out var xh);
            Vector.Widen(new Vector<float>(shift[j..]), out var sl, out var sh);
            var vl = xl - sl;
            var vh = xh - sh;
            (new Vector<double>(sum[j..]) + vl).CopyTo(sum[j..]);
            (new Vector<double>(sum[(j + half)..]) + vh).CopyTo(sum[(j + half)..]);
            (new Vector<double>(squares[j..]) + vl * vl).CopyTo(squares[j..]);
            (new Vector<double>(squares[(j + half)..]) + vh * vh).CopyTo(squares[(j + half)..]);
        }
        for (; j < row.Length; j++)
        {
            double v = (double)row[j] - shift[j];
            sum[j] += v;
            squares[j] += v * v;
        }
    }

    private static void ThrowFirstNonFinite(string who, float[] x, int d)
    {
        for (int i = 0; i < x.Length; i++)
            if (!float.IsFinite(x[i]))
                throw new UserError($"{who}: the data has {(float.IsNaN(x[i]) ? "NaN" : "an infinite value")} at row {i / d + 1}, column {i % d + 1}; remove or impute it");
        throw new UserError($"{who}: the data's values are too large to compute a variance");
    }

    /// <summary>Distinct rows, counted up to <paramref name="atMost"/>.</summary>
    public static int DistinctRows(float[] x, int n, int d, int atMost)
    {
        var seen = new HashSet<int>(new RowComparer(x, d));
        for (int i = 0; i < n && seen.Count < atMost; i++) seen.Add(i);
        return seen.Count;
    }

    private sealed class RowComparer(float[] x, int d) : IEqualityComparer<int>
    {
        public bool Equals(int a, int b) => x.AsSpan(a * d, d).SequenceEqual(x.AsSpan(b * d, d));

        public int GetHashCode(int a)
        {
            var h = new HashCode();
            foreach (float v in x.AsSpan(a * d, d)) h.Add(v == 0f ? 0f : v);
            return h.ToHashCode();
        }
    }
}
