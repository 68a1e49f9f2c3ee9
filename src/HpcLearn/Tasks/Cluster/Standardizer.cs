namespace HpcLearn.Tasks.Cluster;

/// <summary>
/// Per-column (x − mean) / scale. A constant column keeps scale 1, so it becomes 0 everywhere
/// instead of dividing by zero. Identity when made with <see cref="None"/>.
/// </summary>
public sealed record Standardizer(double[] Mean, double[] Scale)
{
    /// <summary>No change: mean 0, scale 1.</summary>
    public static Standardizer None(int d) => new(new double[d], Enumerable.Repeat(1.0, d).ToArray());

    /// <summary>Means and population standard deviations of the columns; constant columns are listed in <paramref name="constant"/>.</summary>
    public static Standardizer Fit(float[] x, int n, int d, out List<int> constant)
    {
        var mean = new double[d];
        var scale = new double[d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) mean[j] += x[i * d + j];
        for (int j = 0; j < d; j++) mean[j] /= n;
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) { double v = x[i * d + j] - mean[j]; scale[j] += v * v; }
        constant = [];
        for (int j = 0; j < d; j++)
        {
            scale[j] = Math.Sqrt(scale[j] / n);
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
