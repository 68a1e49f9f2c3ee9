namespace HpcLearn.Tasks.Clustering;

/// <summary>
/// Gaussian mixture models fitted by expectation–maximisation, as scikit-learn's GaussianMixture:
/// full, diagonal or spherical covariances, k-means or k-means++ initialisation, restarts, and
/// BIC/AIC for choosing k. Each iteration is one multi-threaded pass over the data (E-step and the
/// M-step's sums fused, log-sum-exp in double); the result does not depend on the thread count.
/// </summary>
public static class GaussianMixture
{
    private const string Who = "Gaussian mixture";

    /// <summary>Fits a mixture to <paramref name="n"/> points of <paramref name="d"/> columns stored row-major in <paramref name="data"/>.</summary>
    /// <exception cref="UserError">Empty data, a shape mismatch, NaN or infinity (naming row and column), k larger than the distinct points, bad options, or a covariance that collapses.</exception>
    public static GaussianMixtureResult Fit(float[] data, int n, int d, GaussianMixtureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        DataChecks.Shape(Who, data, n, d);
        options.Validate(d);
        DataChecks.MeanVarianceOrThrow(Who, data, n, d, options.Threads);
        int distinct = DataChecks.DistinctRows(data, n, d, options.K);
        if (distinct < options.K)
            throw new UserError($"{Who}: k = {options.K} is larger than the number of distinct points ({distinct}); lower k");
        var pass = new EmPass(data, n, d, options.K, options.Covariance, options.Threads);
        var seeds = new Random(options.Seed);
        int runs = options.Init == GaussianMixtureInit.Given ? 1 : options.NInit;
        GaussianMixtureResult? best = null;
        for (int r = 0; r < runs; r++)
        {
            var start = Initial(data, n, d, options, pass, seeds.Next());
            var res = Em(start, n, options, pass);
            if (best is null || res.LogLikelihood > best.LogLikelihood) best = res;
        }
        return best!;
    }

    private static GaussianMixtureModel Initial(float[] x, int n, int d, GaussianMixtureOptions o, EmPass pass, int seed)
    {
        if (o.Init == GaussianMixtureInit.Given)
            return new GaussianMixtureModel(o.Covariance, o.K, d, (double[])o.InitialWeights!.Clone(), (double[])o.InitialMeans!.Clone(), (double[])o.InitialCovariances!.Clone());
        float[] centres;
        int[] labels;
        if (o.Init == GaussianMixtureInit.KMeans)
        {
            var km = KMeans.Fit(x, n, d, new KMeansOptions { K = o.K, NInit = 1, Seed = seed, Threads = o.Threads });
            (centres, labels) = (km.Centres, km.Labels);
        }
        else
        {
            centres = KMeansPlusPlus.Choose(x, n, d, o.K, greedy: true, new Random(seed), o.Threads);
            labels = KMeans.Predict(x, n, d, centres);
        }
        var c64 = centres.Select(v => (double)v).ToArray();
        pass.Hard(labels, c64);
        return pass.MStep(c64, o.RegCovar);
    }

    private static GaussianMixtureResult Em(GaussianMixtureModel model, int n, GaussianMixtureOptions o, EmPass pass)
    {
        var history = new List<double>();
        double previous = double.NegativeInfinity;
        bool converged = false;
        int it = 0;
        while (it < o.MaxIterations)
        {
            it++;
            double ll = pass.Soft(model, accumulate: true, labels: null);
            history.Add(ll);
            model = pass.MStep(model.Means, o.RegCovar);
            if (Math.Abs(ll - previous) < o.Tolerance) { converged = true; break; }
            previous = ll;
        }
        var labels = new int[n];
        double final = pass.Soft(model, accumulate: false, labels);
        history.Add(final);
        long p = model.ParameterCount;
        return new GaussianMixtureResult(model, labels, final, -2 * final * n + p * Math.Log(n), -2 * final * n + 2.0 * p, it, converged, history.ToArray());
    }
}
