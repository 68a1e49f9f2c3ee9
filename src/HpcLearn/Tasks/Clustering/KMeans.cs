using HpcLearn.Cluster;

namespace HpcLearn.Tasks.Clustering;

/// <summary>
/// k-means clustering (Lloyd's algorithm) with k-means++ or greedy k-means++ seeding and restarts,
/// on our own blocked SIMD distance kernel, multi-threaded over blocks of points. The result for a
/// seed does not depend on the thread count.
/// </summary>
public static class KMeans
{
    private const string Who = "k-means";

    /// <summary>Clusters <paramref name="n"/> points of <paramref name="d"/> columns stored row-major in <paramref name="data"/>.</summary>
    /// <param name="data">The points, n × d row-major; under MPI every rank passes all of them.</param>
    /// <param name="n">Number of points.</param>
    /// <param name="d">Number of columns.</param>
    /// <param name="options">The options; the same on every rank.</param>
    /// <param name="comm">
    /// With several ranks, each computes its contiguous share of the points (whole blocks of rows) and the
    /// centre sums, counts and inertia are all-reduced each iteration; the result (centres, every label,
    /// inertia, iterations) is the one a single process gets, bit for bit. Default: one process.
    /// </param>
    /// <exception cref="UserError">Empty data, a shape mismatch, NaN or infinity (naming row and column), k larger than the distinct points, or bad options.</exception>
    public static KMeansResult Fit(float[] data, int n, int d, KMeansOptions options, ICommunicator? comm = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        DataChecks.Shape(Who, data, n, d);
        options.Validate(d);
        var shard = new PointShard(n, comm);
        double tol = options.Tolerance * DataChecks.MeanVarianceOrThrow(Who, data, n, d, options.Threads, shard);
        int distinct = DataChecks.DistinctRows(data, n, d, options.K);
        if (distinct < options.K)
            throw new UserError($"{Who}: k = {options.K} is larger than the number of distinct points ({distinct}); lower k");
        using var run = new LloydRun(data, n, d, options.K, options.Threads, options.Kernel == KMeansKernel.Gemm, options.Elkan, shard);
        KMeansResult? best = null;
        if (options.Init == KMeansInit.Given)
            best = run.Run(options.InitialCentres!, options.MaxIterations, tol, 1, options.Stop);
        else
        {
            var seeds = new Random(options.Seed);
            for (int r = 0; r < options.NInit; r++)
            {
                var rng = new Random(seeds.Next());
                var start = KMeansPlusPlus.Choose(data, n, d, options.K, options.Init == KMeansInit.GreedyKMeansPlusPlus, rng, options.Threads, shard);
                var res = run.Run(start, options.MaxIterations, tol, options.NInit, options.Stop);
                // A stopped restart is kept only when it is the first (or better): it ends the restarts either way.
                if (best is null || res.Inertia < best.Inertia) best = res; // the same choice on every rank: inertia is all-reduced
                if (res.Stopped) { best = best with { Stopped = true }; break; }
            }
        }
        shard.GatherLabels(best!.Labels);
        return best;
    }

    /// <summary>
    /// As <see cref="Fit(float[], int, int, KMeansOptions, ICommunicator)"/> for double data; the values are
    /// converted to float (the kernel works in single precision, inertia is summed in double).
    /// </summary>
    public static KMeansResult Fit(double[] data, int n, int d, KMeansOptions options)
    {
        DataChecks.Shape(Who, data, n, d);
        var f = new float[data.Length];
        for (int i = 0; i < f.Length; i++) f[i] = (float)data[i];
        return Fit(f, n, d, options);
    }

    /// <summary>Index of the nearest centre (K × d row-major) for each of <paramref name="n"/> points.</summary>
    /// <param name="data">The points, n × d row-major.</param>
    /// <param name="n">Number of points.</param>
    /// <param name="d">Number of columns.</param>
    /// <param name="centres">The centres, K × d row-major.</param>
    /// <param name="comm">With several ranks (each passing all the points), each assigns its share and the labels are gathered on every rank.</param>
    public static int[] Predict(float[] data, int n, int d, float[] centres, ICommunicator? comm = null)
    {
        DataChecks.Shape(Who, data, n, d);
        if (centres is null || centres.Length == 0 || centres.Length % d != 0)
            throw new UserError($"{Who}: centres must hold k x {d} values");
        var packed = new PackedCentres(centres, centres.Length / d, d);
        var labels = new int[n];
        var shard = new PointShard(n, comm);
        Assign(data, d, packed, shard.Start, shard.End, labels, new float[n]);
        shard.GatherLabels(labels);
        return labels;
    }

    /// <summary>Labels and squared distances of points [<paramref name="i0"/>, <paramref name="i1"/>) (at those indices of the spans).</summary>
    internal static void Assign(float[] data, int d, PackedCentres packed, int i0, int i1, Span<int> labels, Span<float> dist)
    {
        var norm = new float[i1];
        for (int i = i0; i < i1; i++) { double s = 0; for (int j = 0; j < d; j++) s += (double)data[i * d + j] * data[i * d + j]; norm[i] = (float)s; }
        AssignKernel.Assign(data, norm, i0, i1, packed, labels[i0..i1], dist[i0..i1]);
    }
}
