namespace HpcLearn.Tasks.Clustering;

/// <summary>Projection onto the first two principal components, by power iteration (for scatter plots).</summary>
public static class Pca2
{
    /// <summary>The n × 2 projection (row-major) of the centred data; for d ≤ 2 the columns themselves (padded with 0).</summary>
    public static double[] Project(float[] x, int n, int d, out double[] mean, out double[][] components)
    {
        mean = new double[d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) mean[j] += x[i * d + j];
        for (int j = 0; j < d; j++) mean[j] /= n;
        components = new double[2][];
        if (d <= 2)
        {
            for (int c = 0; c < 2; c++) { components[c] = new double[d]; if (c < d) components[c][c] = 1; }
        }
        else
        {
            var rng = new Random(0);
            for (int c = 0; c < 2; c++)
            {
                var v = Enumerable.Range(0, d).Select(_ => rng.NextDouble() - 0.5).ToArray();
                for (int it = 0; it < 100; it++)
                {
                    var w = new double[d];
                    for (int i = 0; i < n; i++)
                    {
                        double p = 0;
                        for (int j = 0; j < d; j++) p += (x[i * d + j] - mean[j]) * v[j];
                        for (int j = 0; j < d; j++) w[j] += p * (x[i * d + j] - mean[j]);
                    }
                    if (c == 1) Orthogonalise(w, components[0]);
                    double norm = Math.Sqrt(w.Sum(t => t * t));
                    if (norm == 0) break;
                    for (int j = 0; j < d; j++) w[j] /= norm;
                    double change = 0;
                    for (int j = 0; j < d; j++) change += Math.Abs(w[j] - v[j]);
                    v = w;
                    if (change < 1e-9) break;
                }
                if (c == 1) Orthogonalise(v, components[0]);
                components[c] = v;
            }
        }
        return Apply(x, n, d, mean, components);
    }

    /// <summary>Projects <paramref name="x"/> with a given mean and components.</summary>
    public static double[] Apply(float[] x, int n, int d, double[] mean, double[][] components)
    {
        var y = new double[2 * n];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < 2; c++)
            {
                double s = 0;
                for (int j = 0; j < d; j++) s += (x[i * d + j] - mean[j]) * components[c][j];
                y[2 * i + c] = s;
            }
        return y;
    }

    private static void Orthogonalise(double[] w, double[] u)
    {
        double dot = 0;
        for (int j = 0; j < w.Length; j++) dot += w[j] * u[j];
        for (int j = 0; j < w.Length; j++) w[j] -= dot * u[j];
    }
}
