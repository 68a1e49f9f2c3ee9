namespace HpcLearn.Tasks.Clustering;

/// <summary>
/// Exact silhouette: for each point, the mean Euclidean distance to every cluster (summed in
/// double); blocks of 256 points are spread over the threads.
/// s = (b − a) / max(a, b) with a the mean distance to its own cluster (itself excluded) and b the
/// smallest mean to another cluster; 0 for a point alone in its cluster.
/// </summary>
internal static class Silhouettes
{
    public static double Mean(float[] x, int n, int d, int[] labels, int k, int threads)
    {
        ClusterMetrics.NeedClusters("silhouette", k, n);
        var size = new long[k];
        foreach (int l in labels) size[l]++;
        var s = new double[n];
        const int block = 256;
        int blocks = (n + block - 1) / block;
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = threads }, b =>
        {
            var sums = new double[k];
            for (int i = b * block; i < Math.Min(n, (b + 1) * block); i++)
            {
                Array.Clear(sums);
                var xi = x.AsSpan(i * d, d);
                for (int j = 0; j < n; j++)
                {
                    var xj = x.AsSpan(j * d, d);
                    double q = 0;
                    for (int t = 0; t < d; t++) { double v = (double)xi[t] - xj[t]; q += v * v; }
                    sums[labels[j]] += Math.Sqrt(q);
                }
                int own = labels[i];
                if (size[own] == 1) { s[i] = 0; continue; }
                double a = sums[own] / (size[own] - 1), bmin = double.PositiveInfinity;
                for (int c = 0; c < k; c++) if (c != own) bmin = Math.Min(bmin, sums[c] / size[c]);
                double m = Math.Max(a, bmin);
                s[i] = m == 0 ? 0 : (bmin - a) / m;
            }
        });
        double total = 0;
        foreach (double v in s) total += v;
        return total / n;
    }
}
