namespace HpcLearn.Tasks.Cluster;

/// <summary>
/// k-means++ seeding as scikit-learn's <c>_kmeans_plusplus</c>: the first centre uniformly, each next
/// one sampled in proportion to the squared distance to the nearest chosen centre; the greedy
/// variant draws 2 + ⌊ln k⌋ candidates and keeps the one that lowers the potential most.
/// </summary>
internal static class KMeansPlusPlus
{
    public static float[] Choose(float[] x, int n, int d, int k, bool greedy, Random rng, int threads)
    {
        var centres = new float[k * d];
        var blocks = PointBlocks.For(n);
        int trials = greedy ? 2 + (int)Math.Log(k) : 1;
        int first = rng.Next(n);
        Array.Copy(x, first * d, centres, 0, d);
        var closest = new double[n];
        blocks.ForEach(threads, (_, s, e) => { for (int i = s; i < e; i++) closest[i] = SqDist(x, i, x, first, d); });
        var cum = new double[n];
        var cand = new int[trials];
        var candDist = new double[trials][];
        for (int t = 0; t < trials; t++) candDist[t] = new double[n];
        var partial = new double[blocks.Count, trials];
        for (int c = 1; c < k; c++)
        {
            double run = 0;
            for (int i = 0; i < n; i++) { run += closest[i]; cum[i] = run; }
            for (int t = 0; t < trials; t++) cand[t] = Search(cum, rng.NextDouble() * run);
            blocks.ForEach(threads, (b, s, e) =>
            {
                for (int t = 0; t < trials; t++)
                {
                    double acc = 0;
                    for (int i = s; i < e; i++) { double v = Math.Min(closest[i], SqDist(x, i, x, cand[t], d)); candDist[t][i] = v; acc += v; }
                    partial[b, t] = acc;
                }
            });
            int best = 0; double bestPot = double.PositiveInfinity;
            for (int t = 0; t < trials; t++)
            {
                double p = 0;
                for (int b = 0; b < blocks.Count; b++) p += partial[b, t];
                if (p < bestPot) { bestPot = p; best = t; }
            }
            Array.Copy(x, cand[best] * d, centres, c * d, d);
            (closest, candDist[best]) = (candDist[best], closest);
        }
        return centres;
    }

    /// <summary>First index whose cumulative sum exceeds r (so never a point at distance 0).</summary>
    private static int Search(double[] cum, double r)
    {
        int lo = 0, hi = cum.Length - 1;
        while (lo < hi) { int mid = (lo + hi) >>> 1; if (cum[mid] > r) hi = mid; else lo = mid + 1; }
        return lo;
    }


    internal static double SqDist(float[] a, int i, float[] b, int j, int d)
    {
        double s = 0;
        for (int t = 0; t < d; t++) { double v = (double)a[i * d + t] - b[j * d + t]; s += v * v; }
        return s;
    }
}
