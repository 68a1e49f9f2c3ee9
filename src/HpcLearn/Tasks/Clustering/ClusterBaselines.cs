namespace HpcLearn.Tasks.Clustering;

/// <summary>
/// The trivial baselines a clustering is measured against: every point in one cluster (the inertia
/// to beat: the total sum of squares) and a random assignment of the points to as many clusters as
/// were found (the silhouette to beat: about 0).
/// </summary>
internal static class ClusterBaselines
{
    /// <summary>What summary.json says the baselines are.</summary>
    public const string Description = "one cluster (inertia: every point to the mean of all) and a random assignment to the same number of clusters (silhouette; seeded by the run's seed)";

    /// <summary>Σ ‖x − mean‖² over the <paramref name="n"/> points: the inertia of k = 1, in double.</summary>
    public static double OneClusterInertia(float[] x, int n, int d)
    {
        var mean = new double[d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) mean[j] += x[(long)i * d + j];
        for (int j = 0; j < d; j++) mean[j] /= n;
        double sum = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) { double t = x[(long)i * d + j] - mean[j]; sum += t * t; }
        return sum;
    }

    /// <summary>
    /// The baselines' metrics for the clustered points <paramref name="x"/> with labels
    /// <paramref name="labels"/>: <c>silhouette</c> of a random assignment (when at least two clusters
    /// were found) and, for the k-means algorithms, <c>inertia</c> of one cluster.
    /// </summary>
    public static Dictionary<string, double> Of(float[] x, int n, int d, int[] labels, ClusterRunOptions o, double oneClusterInertia)
    {
        var result = new Dictionary<string, double>();
        int k = labels.Distinct().Count();
        if (k >= 2 && n > k)
        {
            var rng = new Random(o.Seed);
            var random = new int[n];
            for (int i = 0; i < n; i++) random[i] = rng.Next(k);
            double s = ClusterFits.Silhouette(x, n, d, random, o);
            if (double.IsFinite(s)) result["silhouette"] = s;
        }
        if (o.Algorithm is ClusterAlgorithm.KMeans or ClusterAlgorithm.MiniBatchKMeans && double.IsFinite(oneClusterInertia))
            result["inertia"] = oneClusterInertia;
        return result;
    }
}
