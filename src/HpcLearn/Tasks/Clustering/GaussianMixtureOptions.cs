namespace HpcLearn.Tasks.Clustering;

/// <summary>Options of <see cref="GaussianMixture.Fit"/>. Defaults follow scikit-learn's GaussianMixture.</summary>
public sealed record GaussianMixtureOptions
{
    /// <summary>Number of components (at least 1). Default 1, as scikit-learn.</summary>
    public int K { get; init; } = 1;

    /// <summary>Covariance shape of the components. Default <see cref="CovarianceType.Full"/>, as scikit-learn.</summary>
    public CovarianceType Covariance { get; init; } = CovarianceType.Full;

    /// <summary>Most EM iterations per run. Default 100.</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>Stop when the mean log-likelihood per point changes by less than this between iterations. Default 1e-3; 0 runs every iteration.</summary>
    public double Tolerance { get; init; } = 1e-3;

    /// <summary>Added to the diagonal of every covariance so that it stays positive definite. Default 1e-6.</summary>
    public double RegCovar { get; init; } = 1e-6;

    /// <summary>Starting parameters. Default <see cref="GaussianMixtureInit.KMeans"/>.</summary>
    public GaussianMixtureInit Init { get; init; } = GaussianMixtureInit.KMeans;

    /// <summary>Restarts; the run with the highest final log-likelihood is kept (one run for <see cref="GaussianMixtureInit.Given"/>). Default 1.</summary>
    public int NInit { get; init; } = 1;

    /// <summary>Starting weights (K values summing to 1) for <see cref="GaussianMixtureInit.Given"/>.</summary>
    public double[]? InitialWeights { get; init; }

    /// <summary>Starting means, K × d row-major, for <see cref="GaussianMixtureInit.Given"/>.</summary>
    public double[]? InitialMeans { get; init; }

    /// <summary>
    /// Starting covariances for <see cref="GaussianMixtureInit.Given"/>: K × d × d (full), K × d
    /// variances (diagonal) or K variances (spherical).
    /// </summary>
    public double[]? InitialCovariances { get; init; }

    /// <summary>Seed of the initialisation. Default 0.</summary>
    public int Seed { get; init; } = 0;

    /// <summary>Worker threads. Default <see cref="Environment.ProcessorCount"/>. The result does not depend on it.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Checks the options against data of <paramref name="d"/> columns; throws a one-line <see cref="UserError"/>.</summary>
    public void Validate(int d)
    {
        const string who = "Gaussian mixture";
        if (K < 1) throw new UserError($"{who}: k must be at least 1 (got {K})");
        if (MaxIterations < 1) throw new UserError($"{who}: max_iterations must be at least 1 (got {MaxIterations})");
        if (NInit < 1) throw new UserError($"{who}: n_init must be at least 1 (got {NInit})");
        if (!(Tolerance >= 0) || double.IsInfinity(Tolerance)) throw new UserError($"{who}: tolerance must be a finite number >= 0 (got {Tolerance})");
        if (!(RegCovar >= 0) || double.IsInfinity(RegCovar)) throw new UserError($"{who}: reg_covar must be a finite number >= 0 (got {RegCovar})");
        if (Threads < 1) throw new UserError($"{who}: threads must be at least 1 (got {Threads})");
        if (Init != GaussianMixtureInit.Given) return;
        if (InitialWeights is null || InitialMeans is null || InitialCovariances is null)
            throw new UserError($"{who}: init 'given' needs initial weights, means and covariances");
        long cov = GaussianMixtureModel.CovarianceLength(Covariance, K, d);
        if (InitialWeights.Length != K) throw new UserError($"{who}: {InitialWeights.Length} initial weights, expected k = {K}");
        if (InitialMeans.Length != (long)K * d) throw new UserError($"{who}: initial means have {InitialMeans.Length} values, expected k x d = {K} x {d}");
        if (InitialCovariances.Length != cov) throw new UserError($"{who}: initial covariances have {InitialCovariances.Length} values, expected {cov} for {Covariance.ToString().ToLowerInvariant()} covariances");
        if (InitialWeights.Any(w => !(w >= 0) || double.IsInfinity(w)) || Math.Abs(InitialWeights.Sum() - 1) > 1e-6)
            throw new UserError($"{who}: initial weights must be >= 0 and sum to 1");
        if (InitialMeans.Any(v => !double.IsFinite(v)) || InitialCovariances.Any(v => !double.IsFinite(v)))
            throw new UserError($"{who}: initial means or covariances contain NaN or infinity");
    }
}
