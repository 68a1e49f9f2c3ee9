using HpcLearn.Cluster;

namespace HpcLearn.Tasks.Clustering;

/// <summary>
/// Per-column (x − mean) / scale. A constant column keeps scale 1, so it becomes 0 everywhere
/// instead of dividing by zero. Identity when made with <see cref="None"/>.
/// </summary>
public sealed record Standardizer(double[] Mean, double[] Scale)
{
    /// <summary>No change: mean 0, scale 1.</summary>
    public static Standardizer None(int d) => new(new double[d], Enumerable.Repeat(1.0, d).ToArray());

    /// <summary>
    /// Means and population standard deviations of the columns; constant columns are listed in
    /// <paramref name="constant"/>. Sums are made per fixed block of rows and added in block order;
    /// with <paramref name="comm"/> every rank (each holding all the rows) sums its own blocks and the
    /// statistics are all-reduced, equal bit for bit to one process's.
    /// </summary>
    public static Standardizer Fit(float[] x, int n, int d, out List<int> constant, ICommunicator? comm = null)
    {
        var shard = new PointShard(n, comm);
        var part = new double[shard.Blocks.Count][];
        shard.ForEach(1, (b, s, e) =>
        {
            var acc = part[b] = new double[d];
            for (int i = s; i < e; i++) for (int j = 0; j < d; j++) acc[j] += x[i * d + j];
        });
        var mean = shard.Sum(d, b => part[b]);
        for (int j = 0; j < d; j++) mean[j] /= n;
        shard.ForEach(1, (b, s, e) =>
        {
            var acc = part[b];
            Array.Clear(acc);
            for (int i = s; i < e; i++) for (int j = 0; j < d; j++) { double v = x[i * d + j] - mean[j]; acc[j] += v * v; }
        });
        return FromMoments(mean, shard.Sum(d, b => part[b]), n, out constant);
    }

    /// <summary>
    /// The standardiser of <paramref name="n"/> rows with column means <paramref name="mean"/> and sums of
    /// squared deviations <paramref name="squares"/> (population standard deviation); constant columns keep scale 1.
    /// </summary>
    public static Standardizer FromMoments(double[] mean, double[] squares, long n, out List<int> constant)
    {
        var scale = new double[mean.Length];
        constant = [];
        for (int j = 0; j < mean.Length; j++)
        {
            scale[j] = Math.Sqrt(squares[j] / n);
            if (!(scale[j] > 1e-12 * Math.Max(1, Math.Abs(mean[j])))) { scale[j] = 1; constant.Add(j); }
        }
        return new Standardizer(mean, scale);
    }

    /// <summary>The standardised copy of <paramref name="x"/> (n × d).</summary>
    public float[] Apply(float[] x, int d)
    {
        var y = new float[x.Length];
        for (int i = 0; i < x.Length; i++) y[i] = (float)((x[i] - Mean[i % d]) / Scale[i % d]);
        return y;
    }

    /// <summary>Back to original units.</summary>
    public double[] Invert(float[] y, int d)
    {
        var x = new double[y.Length];
        for (int i = 0; i < y.Length; i++) x[i] = y[i] * Scale[i % d] + Mean[i % d];
        return x;
    }
}
