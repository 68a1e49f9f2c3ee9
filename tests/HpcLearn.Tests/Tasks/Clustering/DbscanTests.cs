using HpcLearn.Tasks.Clustering;
using Xunit;

namespace HpcLearn.Tests.Tasks.Clustering;

/// <summary>DBSCAN against a brute-force O(n²) reference written straight from the definition, and its errors.</summary>
public sealed class DbscanTests
{
    /// <summary>
    /// The reference: core points have ≥ minSamples points within eps (self included); clusters are
    /// the connected components of the core points, numbered by their lowest core index; a border
    /// point takes the lowest-numbered cluster among its core neighbours (scikit-learn's rule);
    /// the rest are noise.
    /// </summary>
    private static (int[] Labels, bool[] Core) Reference(float[] x, int n, int d, double eps, int minSamples)
    {
        double eps2 = eps * eps;
        bool Near(int a, int b)
        {
            double s = 0;
            for (int j = 0; j < d; j++) { double t = (double)x[a * d + j] - x[b * d + j]; s += t * t; }
            return s <= eps2;
        }
        var core = new bool[n];
        for (int i = 0; i < n; i++) core[i] = Enumerable.Range(0, n).Count(j => Near(i, j)) >= minSamples;
        var labels = Enumerable.Repeat(-1, n).ToArray();
        int next = 0;
        for (int i = 0; i < n; i++)
        {
            if (!core[i] || labels[i] >= 0) continue;
            var queue = new Queue<int>([i]);
            labels[i] = next;
            while (queue.Count > 0)
            {
                int p = queue.Dequeue();
                for (int q = 0; q < n; q++)
                    if (core[q] && labels[q] < 0 && Near(p, q)) { labels[q] = next; queue.Enqueue(q); }
            }
            next++;
        }
        for (int i = 0; i < n; i++)
        {
            if (core[i]) continue;
            int best = -1;
            for (int q = 0; q < n; q++)
                if (core[q] && Near(i, q) && (best < 0 || labels[q] < best)) best = labels[q];
            labels[i] = best;
        }
        return (labels, core);
    }

    /// <summary>Overlapping blobs plus uniform noise: many border points shared between clusters.</summary>
    private static float[] Data(int n, int d, int seed)
    {
        var blobs = ClusterData.Blobs(n * 3 / 4, k: 5, d: d, std: 0.8, seed: seed, box: 3);
        var rng = new Random(seed + 100);
        var noise = Enumerable.Range(0, (n - n * 3 / 4) * d).Select(_ => (float)(rng.NextDouble() * 10 - 5));
        return blobs.Data.Concat(noise).ToArray();
    }

    [Theory]
    [InlineData(1, 0.05, 4)]
    [InlineData(2, 0.3, 5)]
    [InlineData(2, 0.6, 10)]
    [InlineData(3, 0.7, 5)]
    [InlineData(5, 1.5, 5)]   // brute force
    [InlineData(8, 2.5, 4)]   // brute force
    public void Matches_the_brute_force_reference_exactly(int d, double eps, int minSamples)
    {
        const int n = 600;
        var x = Data(n, d, seed: d);
        var (labels, core) = Reference(x, n, d, eps, minSamples);
        var r = Dbscan.Fit(x, n, d, new DbscanOptions { Eps = eps, MinSamples = minSamples, Threads = 2 });
        Assert.Equal(d <= 3 ? "grid" : "brute force", r.Index);
        Assert.Equal(core, r.IsCore);
        Assert.Equal(labels, r.Labels);
        Assert.Equal(labels.Max() + 1, r.Clusters);
        Assert.Equal(labels.Count(l => l < 0), r.Noise);
        Assert.True(r.Clusters >= 2 && r.Noise > 0 && r.Noise < n, $"a trivial case: {r.Clusters} clusters, {r.Noise} noise");
    }

    [Fact]
    public void Grid_and_brute_force_agree_and_threads_do_not_matter()
    {
        var x = Data(5000, 2, seed: 9);
        var o = new DbscanOptions { Eps = 0.2, MinSamples = 6 };
        var grid = Dbscan.Fit(x, 5000, 2, o with { Threads = 2 });
        var brute = Dbscan.Fit(x, 5000, 2, o with { Threads = 1, GridMaxDimensions = 0 });
        Assert.Equal("brute force", brute.Index);
        Assert.Equal(brute.Labels, grid.Labels);
        Assert.Equal(brute.IsCore, grid.IsCore);
    }

    [Fact]
    public void Finds_the_moons_that_k_means_cannot()
    {
        var moons = ClusterData.Moons(1000, noise: 0.05, seed: 3);
        var r = Dbscan.Fit(moons.Data, moons.N, 2, new DbscanOptions { Eps = 0.2, MinSamples = 5 });
        Assert.Equal(2, r.Clusters);
        Assert.Equal(1.0, ClusterMetrics.AdjustedRandIndex(moons.Labels, r.Labels));
    }

    [Fact]
    public void A_hand_worked_line_of_points()
    {
        // 1-D: 0, 1, 2 | 2.9 | 10, 11, 12 | 50 with eps 1, min_samples 3:
        // 1 has {0,1,2} -> core; 2 has {1,2,2.9} -> core; 0 has {0,1} -> border of cluster 0;
        // 2.9 has {2,2.9} -> border of cluster 0; 11 is core with {10,11,12}; 10 and 12 border; 50 noise.
        float[] x = [0, 1, 2, 2.9f, 10, 11, 12, 50];
        var r = Dbscan.Fit(x, 8, 1, new DbscanOptions { Eps = 1, MinSamples = 3 });
        Assert.Equal([0, 0, 0, 0, 1, 1, 1, -1], r.Labels);
        Assert.Equal([false, true, true, false, false, true, false, false], r.IsCore);
        // New points: nearest core point within eps, else noise.
        // -0.5 is 1.5 from the nearest core point (1), beyond eps, though within eps of the border point 0.
        Assert.Equal([0, 1, -1, -1, 0], Dbscan.Predict([1.5f, 11.9f, 13f, -0.5f, 0.2f], 5, 1, [1, 2, 11], [0, 0, 1], 1.0));
    }

    [Fact]
    public void Bad_input_gives_one_line_errors()
    {
        Assert.Equal("DBSCAN: eps must be a finite number > 0 (got 0)",
            Assert.Throws<UserError>(() => Dbscan.Fit([1f, 2f], 2, 1, new DbscanOptions { Eps = 0 })).Message);
        Assert.Equal("DBSCAN: min_samples must be at least 1 (got 0)",
            Assert.Throws<UserError>(() => Dbscan.Fit([1f, 2f], 2, 1, new DbscanOptions { MinSamples = 0 })).Message);
        Assert.Equal("DBSCAN: the data has NaN at row 1, column 2; remove or impute it",
            Assert.Throws<UserError>(() => Dbscan.Fit([1f, float.NaN], 1, 2, new DbscanOptions())).Message);
        Assert.Equal("DBSCAN: the data is empty (no points)",
            Assert.Throws<UserError>(() => Dbscan.Fit([], 0, 2, new DbscanOptions())).Message);
    }
}
