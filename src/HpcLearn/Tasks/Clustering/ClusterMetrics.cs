namespace HpcLearn.Tasks.Clustering;

/// <summary>
/// Clustering quality as scikit-learn defines it. Without ground truth: inertia, silhouette (exact
/// and sampled), Davies–Bouldin, Calinski–Harabasz. Against known labels: adjusted Rand index and
/// normalised mutual information (arithmetic-mean normalisation). Data is n × d row-major.
/// </summary>
public static class ClusterMetrics
{
    /// <summary>Sum of squared distances of the points to their centre (K × d row-major), in double.</summary>
    public static double Inertia(float[] data, int n, int d, float[] centres, int[] labels)
    {
        Check(data, n, d, labels);
        double s = 0;
        for (int i = 0; i < n; i++) s += KMeansPlusPlus.SqDist(data, i, centres, labels[i], d);
        return s;
    }

    /// <summary>Mean silhouette over all points, exact (O(n²·d), multi-threaded over points). 0 for points alone in their cluster.</summary>
    public static double Silhouette(float[] data, int n, int d, int[] labels, int threads = 0)
    {
        Check(data, n, d, labels);
        return Silhouettes.Mean(data, n, d, Contingency.Dense(labels, out int k), k, threads <= 0 ? Environment.ProcessorCount : threads);
    }

    /// <summary>Silhouette of a random subset of <paramref name="sampleSize"/> points (scikit-learn's <c>sample_size</c>), for large n.</summary>
    public static double SilhouetteSampled(float[] data, int n, int d, int[] labels, int sampleSize, int seed, int threads = 0)
    {
        Check(data, n, d, labels);
        if (sampleSize < 2) throw new UserError($"silhouette: sample size must be at least 2 (got {sampleSize})");
        if (sampleSize >= n) return Silhouette(data, n, d, labels, threads);
        var idx = Enumerable.Range(0, n).ToArray();
        new Random(seed).Shuffle(idx);
        var sub = new float[sampleSize * d];
        var subLabels = new int[sampleSize];
        for (int s = 0; s < sampleSize; s++) { Array.Copy(data, idx[s] * d, sub, s * d, d); subLabels[s] = labels[idx[s]]; }
        return Silhouette(sub, sampleSize, d, subLabels, threads);
    }

    /// <summary>Davies–Bouldin index: mean over clusters of the worst (s_i + s_j) / ‖c_i − c_j‖; lower is better.</summary>
    public static double DaviesBouldin(float[] data, int n, int d, int[] labels)
    {
        Check(data, n, d, labels);
        var dense = Contingency.Dense(labels, out int k);
        NeedClusters("Davies-Bouldin", k, n);
        var (cent, size) = Centroids(data, n, d, dense, k);
        var s = new double[k];
        for (int i = 0; i < n; i++) s[dense[i]] += Math.Sqrt(SqDist(data, i * d, cent, dense[i] * d, d));
        for (int c = 0; c < k; c++) s[c] /= size[c];
        double total = 0;
        for (int a = 0; a < k; a++)
        {
            double worst = 0;
            for (int b = 0; b < k; b++)
            {
                if (a == b) continue;
                double sep = Math.Sqrt(SqDist(cent, a * d, cent, b * d, d));
                double r = sep == 0 ? (s[a] + s[b] == 0 ? 0 : double.PositiveInfinity) : (s[a] + s[b]) / sep;
                worst = Math.Max(worst, r);
            }
            total += worst;
        }
        return total / k;
    }

    /// <summary>Calinski–Harabasz index: [between-cluster dispersion / (k − 1)] / [within / (n − k)]; higher is better; 1 when the within dispersion is 0.</summary>
    public static double CalinskiHarabasz(float[] data, int n, int d, int[] labels)
    {
        Check(data, n, d, labels);
        var dense = Contingency.Dense(labels, out int k);
        NeedClusters("Calinski-Harabasz", k, n);
        var (cent, size) = Centroids(data, n, d, dense, k);
        var mean = new double[d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) mean[j] += data[i * d + j];
        for (int j = 0; j < d; j++) mean[j] /= n;
        double between = 0, within = 0;
        for (int c = 0; c < k; c++) for (int j = 0; j < d; j++) { double v = cent[c * d + j] - mean[j]; between += size[c] * v * v; }
        for (int i = 0; i < n; i++) within += SqDist(data, i * d, cent, dense[i] * d, d);
        return within == 0 ? 1.0 : between * (n - k) / (within * (k - 1));
    }

    /// <summary>Adjusted Rand index of two labellings: 1 for the same partition, about 0 for random ones.</summary>
    public static double AdjustedRandIndex(int[] truth, int[] predicted) => AdjustedRandIndex(new Contingency(truth, predicted));

    /// <summary>Adjusted Rand index from the contingency table (truth × predicted).</summary>
    internal static double AdjustedRandIndex(Contingency t)
    {
        double index = 0, rows = 0, cols = 0;
        foreach (long v in t.Table) index += Contingency.Comb2(v);
        foreach (long v in t.Rows) rows += Contingency.Comb2(v);
        foreach (long v in t.Cols) cols += Contingency.Comb2(v);
        double expected = rows * cols / Contingency.Comb2(t.N);
        double max = (rows + cols) / 2;
        return max == expected ? 1.0 : (index - expected) / (max - expected);
    }

    /// <summary>Normalised mutual information, MI / ((H(truth) + H(predicted)) / 2), natural log; 1 for the same partition.</summary>
    public static double NormalizedMutualInformation(int[] truth, int[] predicted) => NormalizedMutualInformation(new Contingency(truth, predicted));

    /// <summary>Normalised mutual information from the contingency table (truth × predicted).</summary>
    internal static double NormalizedMutualInformation(Contingency t)
    {
        if (t.Rows.Length == t.Cols.Length && t.Rows.Length == 1) return 1.0;
        double mi = 0;
        for (int a = 0; a < t.Rows.Length; a++)
            for (int b = 0; b < t.Cols.Length; b++)
            {
                long nab = t.Table[a, b];
                if (nab > 0) mi += (double)nab / t.N * Math.Log((double)nab * t.N / ((double)t.Rows[a] * t.Cols[b]));
            }
        double norm = (Contingency.Entropy(t.Rows, t.N) + Contingency.Entropy(t.Cols, t.N)) / 2;
        return mi <= 0 ? 0.0 : Math.Min(1.0, mi / norm);
    }

    private static void Check(float[] data, int n, int d, int[] labels)
    {
        DataChecks.Shape("cluster metrics", data, n, d);
        if (labels is null || labels.Length != n)
            throw new UserError($"cluster metrics: {labels?.Length ?? 0} labels for {n} points");
    }

    internal static void NeedClusters(string metric, int k, int n)
    {
        if (k < 2 || k > n - 1)
            throw new UserError($"{metric}: needs between 2 and n - 1 = {n - 1} clusters (got {k})");
    }

    private static (double[] Centres, long[] Size) Centroids(float[] x, int n, int d, int[] dense, int k)
    {
        var c = new double[k * d];
        var size = new long[k];
        for (int i = 0; i < n; i++) { size[dense[i]]++; for (int j = 0; j < d; j++) c[dense[i] * d + j] += x[i * d + j]; }
        for (int a = 0; a < k; a++) for (int j = 0; j < d; j++) c[a * d + j] /= size[a];
        return (c, size);
    }

    private static double SqDist(float[] a, int ia, double[] b, int ib, int d)
    {
        double s = 0;
        for (int j = 0; j < d; j++) { double v = a[ia + j] - b[ib + j]; s += v * v; }
        return s;
    }

    private static double SqDist(double[] a, int ia, double[] b, int ib, int d)
    {
        double s = 0;
        for (int j = 0; j < d; j++) { double v = a[ia + j] - b[ib + j]; s += v * v; }
        return s;
    }
}
