using HpcLearn.Tasks.Clustering;
using Xunit;

namespace HpcLearn.Tests.Tasks.Clustering;

/// <summary>k-means against hand-computed steps, known blobs, and its error messages.</summary>
public sealed class KMeansTests
{
    [Fact]
    public void Given_centres_and_one_iteration_match_a_hand_computed_step()
    {
        // 1-D points 0, 1, 4, 5, 10; start centres 0 and 6.
        // Assign: 0,1 -> c0 (|1-0| = 1 < |1-6| = 5); 4 (|4-6| = 2 < 4), 5, 10 -> c1.
        //   inertia of that assignment: 0 + 1 + 4 + 1 + 16 = 22.
        // Update: c0 = (0+1)/2 = 0.5, c1 = (4+5+10)/3 = 19/3.
        // Final assignment keeps the labels; inertia = 0.25 + 0.25 + (7/3)² + (4/3)² + (11/3)²
        //   = 0.5 + (49+16+121)/9 = 0.5 + 186/9 = 21.1666...
        var data = new float[] { 0, 1, 4, 5, 10 };
        var r = KMeans.Fit(data, 5, 1, new KMeansOptions { K = 2, Init = KMeansInit.Given, InitialCentres = [0, 6], MaxIterations = 1, Tolerance = 0 });
        Assert.Equal(0.5f, r.Centres[0]);
        Assert.Equal(19f / 3f, r.Centres[1], 5);
        Assert.Equal([0, 0, 1, 1, 1], r.Labels);
        Assert.Equal(0.5 + 186.0 / 9, r.Inertia, 4);
        Assert.Equal(1, r.Iterations);
        Assert.Equal(22.0, Assert.Single(r.InertiaHistory), 4);
    }

    [Fact]
    public void Recovers_well_separated_blobs()
    {
        var blobs = ClusterData.Blobs(3000, k: 5, d: 4, std: 0.5, seed: 1);
        var r = KMeans.Fit(blobs.Data, blobs.N, blobs.D, new KMeansOptions { K = 5, NInit = 3, Seed = 7 });
        Assert.Equal(1.0, ClusterMetrics.AdjustedRandIndex(blobs.Labels, r.Labels));
        Assert.Equal(3, r.NInitRun);
        Assert.Equal(ClusterMetrics.Inertia(blobs.Data, blobs.N, blobs.D, r.Centres, r.Labels), r.Inertia, 6);
    }

    [Theory]
    [InlineData(KMeansInit.KMeansPlusPlus)]
    [InlineData(KMeansInit.GreedyKMeansPlusPlus)]
    public void Inertia_never_increases_across_iterations(KMeansInit init)
    {
        var blobs = ClusterData.Blobs(4000, k: 8, d: 3, std: 3, seed: 2);
        var opts = new KMeansOptions { K = 8, Init = init, Seed = 3, Tolerance = 0 };
        var full = KMeans.Fit(blobs.Data, blobs.N, blobs.D, opts with { MaxIterations = 100 });
        for (int i = 1; i < full.InertiaHistory.Length; i++)
            Assert.True(full.InertiaHistory[i] <= full.InertiaHistory[i - 1] * (1 + 1e-6), $"iteration {i + 1}: {full.InertiaHistory[i]} > {full.InertiaHistory[i - 1]}");
        // The exact (double) inertia after m iterations, for a sweep of m, never goes up either.
        double last = double.PositiveInfinity;
        for (int m = 1; m <= 12; m++)
        {
            double inertia = KMeans.Fit(blobs.Data, blobs.N, blobs.D, opts with { MaxIterations = m }).Inertia;
            Assert.True(inertia <= last * (1 + 1e-12), $"max_iter {m}: {inertia} > {last}");
            last = inertia;
        }
    }

    [Fact]
    public void One_and_two_threads_give_identical_results_and_a_seed_repeats()
    {
        var blobs = ClusterData.Blobs(20000, k: 6, d: 5, std: 2, seed: 4);
        var opts = new KMeansOptions { K = 6, NInit = 2, Seed = 11 };
        var one = KMeans.Fit(blobs.Data, blobs.N, blobs.D, opts with { Threads = 1 });
        var two = KMeans.Fit(blobs.Data, blobs.N, blobs.D, opts with { Threads = 2 });
        var again = KMeans.Fit(blobs.Data, blobs.N, blobs.D, opts with { Threads = 2 });
        Assert.Equal(one.Centres, two.Centres);
        Assert.Equal(one.Labels, two.Labels);
        Assert.Equal(one.Inertia, two.Inertia);
        Assert.Equal(one.Iterations, two.Iterations);
        Assert.Equal(two.Centres, again.Centres);
    }

    [Fact]
    public void K_equal_one_gives_the_mean_and_double_data_works()
    {
        // Mean of (0,0), (2,0), (4,6) is (2, 2); inertia = (4+4) + (0+4) + (4+16) = 32.
        var r = KMeans.Fit(new double[] { 0, 0, 2, 0, 4, 6 }, 3, 2, new KMeansOptions { K = 1 });
        Assert.Equal([2f, 2f], r.Centres);
        Assert.Equal(32.0, r.Inertia, 5);
        Assert.Equal([0, 0, 0], r.Labels);
    }

    [Fact]
    public void Empty_cluster_is_moved_to_the_farthest_point()
    {
        // Centre 100 is nobody's nearest: it takes the point farthest from its centre (10, 10 away from 0).
        var data = new float[] { 0, 1, 10 };
        var r = KMeans.Fit(data, 3, 1, new KMeansOptions { K = 2, Init = KMeansInit.Given, InitialCentres = [0, 100], MaxIterations = 1, Tolerance = 0 });
        // c0 = (0 + 1 + 10 - 10) / 2 = 0.5; c1 = 10.
        Assert.Equal([0.5f, 10f], r.Centres);
        Assert.Equal([0, 0, 1], r.Labels);
    }

    [Fact]
    public void Nan_is_refused_naming_row_and_column()
    {
        var data = new float[] { 0, 0, 1, float.NaN, 2, 2 };
        var e = Assert.Throws<UserError>(() => KMeans.Fit(data, 3, 2, new KMeansOptions { K = 2 }));
        Assert.Equal("k-means: the data has NaN at row 2, column 2; remove or impute it", e.Message);
    }

    [Fact]
    public void K_larger_than_the_distinct_points_is_refused_naming_both()
    {
        var data = new float[] { 1, 1, 2, 2, 1, 1, 2, 2 };
        var e = Assert.Throws<UserError>(() => KMeans.Fit(data, 4, 2, new KMeansOptions { K = 3 }));
        Assert.Equal("k-means: k = 3 is larger than the number of distinct points (2); lower k", e.Message);
    }

    [Fact]
    public void Empty_input_and_bad_k_are_refused()
    {
        Assert.Equal("k-means: the data is empty (no points)",
            Assert.Throws<UserError>(() => KMeans.Fit(Array.Empty<float>(), 0, 2, new KMeansOptions { K = 2 })).Message);
        Assert.Equal("k-means: k must be at least 1 (got 0)",
            Assert.Throws<UserError>(() => KMeans.Fit(new float[] { 1, 2 }, 2, 1, new KMeansOptions { K = 0 })).Message);
        Assert.Equal("k-means: initial centres have 2 values, expected k x d = 2 x 2 = 4",
            Assert.Throws<UserError>(() => KMeans.Fit(new float[] { 1, 2, 3, 4 }, 2, 2, new KMeansOptions { K = 2, Init = KMeansInit.Given, InitialCentres = [1, 2] })).Message);
    }

    [Fact]
    public void Gemm_and_simd_kernels_give_the_same_clustering()
    {
        // The GEMM kernel (libtorch matmul) against our SIMD kernel as the reference.
        var blobs = ClusterData.Blobs(1500, k: 5, d: 150, std: 3, seed: 8);
        var o = new KMeansOptions { K = 5, Seed = 4, Tolerance = 0, MaxIterations = 30, Threads = 2 };
        var simd = KMeans.Fit(blobs.Data, blobs.N, 150, o with { Kernel = KMeansKernel.Simd });
        var gemm = KMeans.Fit(blobs.Data, blobs.N, 150, o with { Kernel = KMeansKernel.Gemm });
        Assert.Equal(simd.Labels, gemm.Labels);
        Assert.Equal(simd.Inertia, gemm.Inertia, 6);
        Assert.Equal(simd.Iterations, gemm.Iterations);
        Assert.Equal(1.0, ClusterMetrics.AdjustedRandIndex(blobs.Labels, gemm.Labels));
    }

    [Fact]
    public void Gemm_kernel_inertia_does_not_depend_on_the_blas_rounding()
    {
        // The BLAS's rounding of x·c changes with the row count and the buffer's alignment (run to run
        // on an AMD Zen 4): two runs on copies of the same data must still agree bit for bit, as
        // the distances to the chosen centres are computed exactly (the 3-rank case is in KMeansRanksTests).
        var blobs = ClusterData.Blobs(20_000, 6, 5, std: 2.5, seed: 11);
        var o = new KMeansOptions { K = 6, NInit = 1, Seed = 5, Threads = 1 };
        var first = KMeans.Fit(blobs.Data, blobs.N, blobs.D, o with { Kernel = KMeansKernel.Gemm });
        var again = KMeans.Fit(blobs.Data.ToArray(), blobs.N, blobs.D, o with { Kernel = KMeansKernel.Gemm });
        Assert.Equal(first.Labels, again.Labels);
        Assert.Equal(first.InertiaHistory, again.InertiaHistory);
        Assert.Equal(first.Inertia, again.Inertia);
    }

    [Theory]
    [InlineData(3, 6, 2.0)]
    [InlineData(40, 8, 4.0)]
    [InlineData(5, 12, 0.3)]   // tight blobs: empty clusters relocated
    public void Elkan_bounds_give_the_same_clustering_as_lloyd(int d, int k, double std)
    {
        var blobs = ClusterData.Blobs(3000, k: 6, d: d, std: std, seed: d);
        var o = new KMeansOptions { K = k, Seed = 5, Tolerance = 0, MaxIterations = 60, Threads = 2 };
        var lloyd = KMeans.Fit(blobs.Data, blobs.N, d, o);
        var ham = KMeans.Fit(blobs.Data, blobs.N, d, o with { Elkan = true });
        Assert.Equal(lloyd.Labels, ham.Labels);
        Assert.Equal(lloyd.Iterations, ham.Iterations);
        Assert.Equal(lloyd.Inertia, ham.Inertia, 6);
        Assert.Equal(lloyd.InertiaHistory.Length, ham.InertiaHistory.Length);
        for (int i = 0; i < lloyd.InertiaHistory.Length; i++) Assert.Equal(1.0, ham.InertiaHistory[i] / lloyd.InertiaHistory[i], 4);
    }

    [Fact]
    public void A_stop_ends_the_fit_after_the_iteration_it_comes_in_with_a_usable_clustering_and_no_more_restarts()
    {
        var blobs = ClusterData.Blobs(3000, k: 5, d: 4, std: 2, seed: 6);
        var opts = new KMeansOptions { K = 5, NInit = 3, Seed = 2, Tolerance = 0, Threads = 1 };
        var stopped = KMeans.Fit(blobs.Data, blobs.N, blobs.D, opts with { Stop = () => true });
        Assert.True(stopped.Stopped);
        Assert.Equal(1, stopped.Iterations);
        // The same as a first run capped at one iteration: centres after one update, labels to those centres.
        var oneStep = KMeans.Fit(blobs.Data, blobs.N, blobs.D, opts with { NInit = 1, MaxIterations = 1 });
        Assert.Equal(oneStep.Centres, stopped.Centres);
        Assert.Equal(oneStep.Labels, stopped.Labels);
        Assert.Equal(oneStep.Inertia, stopped.Inertia);
        Assert.False(KMeans.Fit(blobs.Data, blobs.N, blobs.D, opts with { Stop = () => false }).Stopped);
    }
}
