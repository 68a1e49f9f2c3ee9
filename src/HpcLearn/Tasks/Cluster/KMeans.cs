namespace HpcLearn.Tasks.Cluster;

/// <summary>
/// k-means clustering (Lloyd's algorithm) with k-means++ or greedy k-means++ seeding and restarts,
/// on our own blocked SIMD distance kernel, multi-threaded over blocks of points. The result for a
/// seed does not depend on the thread count.
/// </summary>
public static class KMeans
{
    private const string Who = "k-means";

    /// <summary>Clusters <paramref name="n"/> points of <paramref name="d"/> columns stored row-major in <paramref name="data"/>.</summary>
    /// <exception cref="UserError">Empty data, a shape mismatch, NaN or infinity (naming row and column), k larger than the distinct points, or bad options.</exception>
    public static KMeansResult Fit(float[] data, int n, int d, KMeansOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        DataChecks.Shape(Who, data, n, d);
        options.Validate(d);
        double tol = options.Tolerance * DataChecks.MeanVarianceOrThrow(Who, data, n, d, options.Threads);
        int distinct = DataChecks.DistinctRows(data, n, d, options.K);
        if (distinct < options.K)
            throw new UserError($"{Who}: k = {options.K} is larger than the number of distinct points ({distinct}); lower k");
        using var run = new LloydRun(data, n, d, options.K, options.Threads, options.Kernel == KMeansKernel.Gemm, options.Elkan);
        if (options.Init == KMeansInit.Given)
            return run.Run(options.InitialCentres!, options.MaxIterations, tol, 1);
        var seeds = new Random(options.Seed);
        KMeansResult? best = null;
        for (int r = 0; r < options.NInit; r++)
        {
            var rng = new Random(seeds.Next());
            var start = KMeansPlusPlus.Choose(data, n, d, options.K, options.Init == KMeansInit.GreedyKMeansPlusPlus, rng, options.Threads);
            var res = run.Run(start, options.MaxIterations, tol, options.NInit);
            if (best is null || res.Inertia < best.Inertia) best = res;
        }
        return best!;
    }

    /// <summary>
    /// As <see cref="Fit(float[], int, int, KMeansOptions)"/> for double data; the values are
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
    public static int[] Predict(float[] data, int n, int d, float[] centres)
    {
        DataChecks.Shape(Who, data, n, d);
        if (centres is null || centres.Length == 0 || centres.Length % d != 0)
            throw new UserError($"{Who}: centres must hold k x {d} values");
        var packed = new PackedCentres(centres, centres.Length / d, d);
        var norm = new float[n];
        for (int i = 0; i < n; i++) { double s = 0; for (int j = 0; j < d; j++) s += (double)data[i * d + j] * data[i * d + j]; norm[i] = (float)s; }
        var labels = new int[n];
        AssignKernel.Assign(data, norm, 0, n, packed, labels, new float[n]);
        return labels;
    }
}
