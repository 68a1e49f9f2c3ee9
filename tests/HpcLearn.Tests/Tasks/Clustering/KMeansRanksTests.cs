using HpcLearn.Cluster;
using HpcLearn.Tasks.Clustering;
using Xunit;

namespace HpcLearn.Tests.Tasks.Clustering;

/// <summary>
/// k-means, k-means++, mini-batch k-means and the standardiser on several in-process ranks
/// (<see cref="ThreadRanks"/>) against one process: the same numbers bit for bit. The real mpirun
/// run of <c>hpclearn cluster</c> is in tests/HpcLearn.Tests/Cluster/MpiClusterCommandTests.cs.
/// </summary>
public sealed class KMeansRanksTests
{
    // 20,000 points: ten blocks of 2,048 rows, so two and three ranks split them unevenly.
    private static readonly ClusterDataSet Blobs = ClusterData.Blobs(20_000, 6, 5, std: 2.5, seed: 11);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2047, 3)]
    [InlineData(20_000, 2)]
    [InlineData(20_000, 3)]
    [InlineData(1_000_003, 5)]
    public void Shards_are_contiguous_disjoint_whole_blocks_covering_every_row(int n, int ranks)
    {
        var shards = ThreadRanks.Run(ranks, c => new PointShard(n, c));
        Assert.Equal(0, shards[0].Start);
        for (int r = 1; r < ranks; r++) Assert.Equal(shards[r - 1].End, shards[r].Start);
        Assert.Equal(n, shards[^1].End);
        foreach (var s in shards) Assert.True(s.Start == s.End || s.Start % s.Blocks.Size == 0);
        var sizes = shards.Select(s => s.EndBlock - s.FirstBlock).ToArray();
        Assert.True(sizes.Max() - sizes.Min() <= 1, string.Join(",", sizes));
    }

    [Theory]
    [InlineData(2, false, KMeansKernel.Simd)]
    [InlineData(3, false, KMeansKernel.Simd)]
    [InlineData(2, true, KMeansKernel.Simd)]
    [InlineData(3, false, KMeansKernel.Gemm)]
    public void Several_ranks_give_the_single_process_result_bit_for_bit(int ranks, bool elkan, KMeansKernel kernel)
    {
        var o = new KMeansOptions { K = 6, NInit = 2, Seed = 5, Elkan = elkan, Kernel = kernel, Threads = 1 };
        var one = KMeans.Fit(Blobs.Data, Blobs.N, Blobs.D, o);
        var many = ThreadRanks.Run(ranks, c => KMeans.Fit(Blobs.Data, Blobs.N, Blobs.D, o, c));
        Assert.True(one.Iterations > 2);
        foreach (var r in many)
        {
            Assert.Equal(one.Centres, r.Centres);
            Assert.Equal(one.Labels, r.Labels);
            Assert.Equal(one.Inertia, r.Inertia);
            Assert.Equal(one.Iterations, r.Iterations);
            Assert.Equal(one.InertiaHistory, r.InertiaHistory);
        }
    }

    [Fact]
    public void Plain_kmeans_plus_plus_seeds_the_same_centres_on_three_ranks()
    {
        var o = new KMeansOptions { K = 9, Init = KMeansInit.KMeansPlusPlus, MaxIterations = 1, Seed = 3, Threads = 2 };
        var one = KMeans.Fit(Blobs.Data, Blobs.N, Blobs.D, o);
        foreach (var r in ThreadRanks.Run(3, c => KMeans.Fit(Blobs.Data, Blobs.N, Blobs.D, o, c)))
            Assert.Equal(one.Centres, r.Centres);
    }

    [Fact]
    public void An_empty_cluster_takes_the_farthest_point_on_every_rank_alike()
    {
        // Two tight groups in 1-D, 6,000 points each; a third start centre at 1000 gets no point.
        // The farthest point from its centre is then the far end of the second group, 11999 (index 11,999, in rank 1's blocks).
        int n = 12_000;
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = i < 6000 ? i * 1e-3f : 6000 + (i - 6000);
        var o = new KMeansOptions { K = 3, Init = KMeansInit.Given, InitialCentres = [3, 7000, 1000_000], MaxIterations = 1, Tolerance = 0, Threads = 1 };
        var one = KMeans.Fit(x, n, 1, o);
        Assert.Equal(11_999f, one.Centres[2]); // relocated onto the farthest point (4999 from centre 7000)
        foreach (var r in ThreadRanks.Run(2, c => KMeans.Fit(x, n, 1, o, c)))
        {
            Assert.Equal(one.Centres, r.Centres);
            Assert.Equal(one.Labels, r.Labels);
            Assert.Equal(one.Inertia, r.Inertia);
        }
    }

    [Fact]
    public void Kmeans_plus_plus_never_seeds_a_point_twice_when_k_equals_the_distinct_points()
    {
        // 9,000 copies of 5 distinct points: every centre must be a different one (a zero-distance draw would repeat one).
        var x = Enumerable.Range(0, 9000).Select(i => (float)(i % 5 * 10)).ToArray();
        foreach (int ranks in new[] { 1, 3 })
        {
            var r = ThreadRanks.Run(ranks, c => KMeans.Fit(x, 9000, 1, new KMeansOptions { K = 5, NInit = 1, Seed = 2, Threads = 1 }, c))[0];
            Assert.Equal([0f, 10, 20, 30, 40], r.Centres.Order().ToArray());
            Assert.Equal(0, r.Inertia);
        }
    }

    [Fact]
    public void Mini_batch_kmeans_on_two_ranks_gives_the_single_process_centres()
    {
        var o = new MiniBatchKMeansOptions { K = 6, BatchSize = 500, Epochs = 2, Seed = 4 };
        var one = MiniBatchKMeans.Fit(Blobs.Data, Blobs.N, Blobs.D, o);
        foreach (var r in ThreadRanks.Run(2, c => MiniBatchKMeans.Fit(Blobs.Data, Blobs.N, Blobs.D, o, c)))
        {
            Assert.Equal(one.Centres, r.Centres);
            Assert.Equal(one.Inertia, r.Inertia);
            Assert.Equal(one.Batches, r.Batches);
        }
        // And the inertia is the sum over every point, whichever rank assigned it.
        Assert.Equal(ClusterMetrics.Inertia(Blobs.Data, Blobs.N, Blobs.D, one.Centres, KMeans.Predict(Blobs.Data, Blobs.N, Blobs.D, one.Centres)), one.Inertia, 6);
    }

    [Fact]
    public void Predict_and_the_standardiser_on_two_ranks_match_one_process()
    {
        var centres = Blobs.Data[..(4 * Blobs.D)];
        var labels = KMeans.Predict(Blobs.Data, Blobs.N, Blobs.D, centres);
        var s = Standardizer.Fit(Blobs.Data, Blobs.N, Blobs.D, out _);
        foreach (var (l, t) in ThreadRanks.Run(2, c => (KMeans.Predict(Blobs.Data, Blobs.N, Blobs.D, centres, c), Standardizer.Fit(Blobs.Data, Blobs.N, Blobs.D, out _, c))))
        {
            Assert.Equal(labels, l);
            Assert.Equal(s.Mean, t.Mean);
            Assert.Equal(s.Scale, t.Scale);
        }
        // The standardiser's statistics against a brute-force two-pass computation.
        for (int j = 0; j < Blobs.D; j++)
        {
            var col = Enumerable.Range(0, Blobs.N).Select(i => (double)Blobs.Data[i * Blobs.D + j]).ToArray();
            Assert.Equal(col.Average(), s.Mean[j], 9);
            Assert.Equal(Math.Sqrt(col.Select(v => (v - col.Average()) * (v - col.Average())).Average()), s.Scale[j], 9);
        }
    }

    [Fact]
    public void A_NaN_in_one_ranks_rows_stops_every_rank_with_the_same_message()
    {
        var x = (float[])Blobs.Data.Clone();
        x[19_000 * Blobs.D + 2] = float.NaN; // the last block: rank 1's
        var errors = ThreadRanks.Run(2, c =>
        {
            try { KMeans.Fit(x, Blobs.N, Blobs.D, new KMeansOptions { K = 3 }, c); return ""; }
            catch (UserError e) { return e.Message; }
        });
        Assert.All(errors, m => Assert.Equal("k-means: the data has NaN at row 19001, column 3; remove or impute it", m));
    }
}
