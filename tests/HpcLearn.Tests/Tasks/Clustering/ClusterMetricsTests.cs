using HpcLearn.Tasks.Clustering;
using Xunit;

namespace HpcLearn.Tests.Tasks.Clustering;

/// <summary>The metrics against hand-computed values (checked with scikit-learn 1.2) and their invariances.</summary>
public sealed class ClusterMetricsTests
{
    // 1-D points 0, 2 (cluster 0) and 10, 12 (cluster 1); centroids 1 and 11.
    private static readonly float[] X = [0, 2, 10, 12];
    private static readonly int[] Y = [0, 0, 1, 1];

    [Fact]
    public void Silhouette_by_hand()
    {
        // x=0: a = 2, b = (10+12)/2 = 11, s = 9/11;  x=2: a = 2, b = (8+10)/2 = 9, s = 7/9;
        // x=10: a = 2, b = (10+8)/2 = 9, s = 7/9;    x=12: a = 2, b = 11, s = 9/11.
        // mean = (9/11 + 7/9) / 2 = 79/99.
        Assert.Equal(79.0 / 99, ClusterMetrics.Silhouette(X, 4, 1, Y), 12);
        Assert.Equal(79.0 / 99, ClusterMetrics.Silhouette(X, 4, 1, [5, 5, -1, -1]), 12);
        Assert.Equal(79.0 / 99, ClusterMetrics.SilhouetteSampled(X, 4, 1, Y, sampleSize: 10, seed: 1), 12);
    }

    [Fact]
    public void Davies_Bouldin_Calinski_Harabasz_and_inertia_by_hand()
    {
        // s_0 = mean(|0-1|, |2-1|) = 1, s_1 = 1, centroid distance 10: DB = (1+1)/10 = 0.2.
        Assert.Equal(0.2, ClusterMetrics.DaviesBouldin(X, 4, 1, Y), 12);
        // grand mean 6; between = 2(1-6)² + 2(11-6)² = 100; within = 4 x 1² = 4;
        // CH = (100 / (2-1)) / (4 / (4-2)) = 50.
        Assert.Equal(50.0, ClusterMetrics.CalinskiHarabasz(X, 4, 1, Y), 10);
        Assert.Equal(4.0, ClusterMetrics.Inertia(X, 4, 1, [1, 11], Y), 12);
    }

    [Fact]
    public void Adjusted_rand_and_nmi_by_hand()
    {
        int[] truth = [0, 0, 1, 1], pred = [0, 0, 1, 2];
        // Contingency rows (2: {2}), (2: {1,1}); sum C(nij,2) = 1; rows ΣC = 2; cols ΣC = 1;
        // expected = 2·1/C(4,2) = 1/3; max = (2+1)/2 = 1.5; ARI = (1 - 1/3)/(1.5 - 1/3) = 4/7.
        Assert.Equal(4.0 / 7, ClusterMetrics.AdjustedRandIndex(truth, pred), 12);
        // H(truth) = ln 2; H(pred) = 0.5 ln 2 + 2·0.25 ln 4 = 1.5 ln 2;
        // MI = 0.5 ln(0.5/0.25) + 2·0.25 ln(0.25/0.125) = ln 2; NMI = ln 2 / (2.5 ln 2 / 2) = 0.8.
        Assert.Equal(0.8, ClusterMetrics.NormalizedMutualInformation(truth, pred), 12);
    }

    [Fact]
    public void Invariant_to_label_permutation_and_one_for_identical()
    {
        var blobs = ClusterData.Blobs(300, k: 3, d: 2, std: 1.5, seed: 5);
        var noisy = (int[])blobs.Labels.Clone();
        for (int i = 0; i < noisy.Length; i += 7) noisy[i] = (noisy[i] + 1) % 3;
        var permuted = noisy.Select(l => (l + 1) % 3 * 10).ToArray();
        Assert.Equal(1.0, ClusterMetrics.AdjustedRandIndex(blobs.Labels, blobs.Labels));
        Assert.Equal(1.0, ClusterMetrics.NormalizedMutualInformation(blobs.Labels, blobs.Labels), 12);
        Assert.Equal(ClusterMetrics.AdjustedRandIndex(blobs.Labels, noisy), ClusterMetrics.AdjustedRandIndex(blobs.Labels, permuted), 12);
        Assert.Equal(ClusterMetrics.NormalizedMutualInformation(blobs.Labels, noisy), ClusterMetrics.NormalizedMutualInformation(blobs.Labels, permuted), 12);
        Assert.Equal(ClusterMetrics.Silhouette(blobs.Data, 300, 2, noisy), ClusterMetrics.Silhouette(blobs.Data, 300, 2, permuted), 12);
        Assert.Equal(ClusterMetrics.DaviesBouldin(blobs.Data, 300, 2, noisy), ClusterMetrics.DaviesBouldin(blobs.Data, 300, 2, permuted), 12);
        Assert.Equal(ClusterMetrics.CalinskiHarabasz(blobs.Data, 300, 2, noisy), ClusterMetrics.CalinskiHarabasz(blobs.Data, 300, 2, permuted), 9);
    }

    [Fact]
    public void Sampled_silhouette_is_close_to_the_exact_one_and_repeats_for_a_seed()
    {
        var blobs = ClusterData.Blobs(3000, k: 4, d: 3, std: 1, seed: 6);
        double exact = ClusterMetrics.Silhouette(blobs.Data, blobs.N, blobs.D, blobs.Labels);
        double s1 = ClusterMetrics.SilhouetteSampled(blobs.Data, blobs.N, blobs.D, blobs.Labels, 600, seed: 3);
        Assert.Equal(s1, ClusterMetrics.SilhouetteSampled(blobs.Data, blobs.N, blobs.D, blobs.Labels, 600, seed: 3));
        Assert.InRange(s1, exact - 0.05, exact + 0.05);
    }

    [Fact]
    public void One_cluster_is_refused_by_the_geometric_scores()
    {
        var e = Assert.Throws<UserError>(() => ClusterMetrics.Silhouette(X, 4, 1, [0, 0, 0, 0]));
        Assert.Equal("silhouette: needs between 2 and n - 1 = 3 clusters (got 1)", e.Message);
    }
}
