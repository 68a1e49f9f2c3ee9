namespace HpcLearn.Tasks.Clustering;

/// <summary>
/// The parameters of a Gaussian mixture — weights π (K), means μ (K × d) and covariances Σ (shape
/// by <see cref="Type"/>) — and what follows from them: the log-density of points
/// log p(x) = log Σₖ πₖ 𝒩(x | μₖ, Σₖ) (log-sum-exp, so it does not underflow), the most likely
/// component, responsibilities, and BIC/AIC with scikit-learn's parameter counts.
/// Full covariances are factored once (Cholesky, Σₖ = LₖLₖᵀ) when the model is made.
/// </summary>
public sealed class GaussianMixtureModel
{
    private static readonly double Log2Pi = Math.Log(2 * Math.PI);
    private readonly double[] logConst;   // (K): log πₖ − ½(d log 2π + log det Σₖ)
    private readonly double[] precision;  // diagonal: (K × d) 1/σ²; spherical: (K) 1/σ²; full: unused
    private readonly double[] chol;       // full: (K × d × d) lower Lₖ; otherwise empty

    /// <summary>Covariance shape.</summary>
    public CovarianceType Type { get; }
    /// <summary>Number of components.</summary>
    public int K { get; }
    /// <summary>Number of columns.</summary>
    public int D { get; }
    /// <summary>Mixing weights (K), summing to 1.</summary>
    public double[] Weights { get; }
    /// <summary>Means, K × d row-major.</summary>
    public double[] Means { get; }
    /// <summary>Covariances: K × d × d (full), K × d variances (diagonal) or K variances (spherical).</summary>
    public double[] Covariances { get; }

    /// <summary>Makes a model from its parameters.</summary>
    /// <exception cref="UserError">Shapes that do not match, or a covariance that is not positive definite.</exception>
    public GaussianMixtureModel(CovarianceType type, int k, int d, double[] weights, double[] means, double[] covariances)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(means);
        ArgumentNullException.ThrowIfNull(covariances);
        if (k < 1 || d < 1 || weights.Length != k || means.Length != (long)k * d || covariances.Length != CovarianceLength(type, k, d))
            throw new UserError($"Gaussian mixture: parameters do not match k = {k}, d = {d} and {type.ToString().ToLowerInvariant()} covariances");
        Type = type; K = k; D = d; Weights = weights; Means = means; Covariances = covariances;
        logConst = new double[k];
        precision = type == CovarianceType.Full ? [] : new double[covariances.Length];
        chol = type == CovarianceType.Full ? new double[covariances.Length] : [];
        for (int c = 0; c < k; c++)
        {
            double logDet = 0;
            switch (type)
            {
                case CovarianceType.Diagonal:
                    for (int j = 0; j < d; j++) { double v = Positive(covariances[c * d + j], c); precision[c * d + j] = 1 / v; logDet += Math.Log(v); }
                    break;
                case CovarianceType.Spherical:
                    { double v = Positive(covariances[c], c); precision[c] = 1 / v; logDet = d * Math.Log(v); }
                    break;
                default:
                    logDet = Cholesky(covariances.AsSpan(c * d * d, d * d), chol.AsSpan(c * d * d, d * d), d, c);
                    break;
            }
            logConst[c] = Math.Log(weights[c]) - 0.5 * (d * Log2Pi + logDet);
        }
    }

    /// <summary>Number of values the covariances hold for <paramref name="type"/>.</summary>
    public static long CovarianceLength(CovarianceType type, int k, int d) => type switch
    {
        CovarianceType.Full => (long)k * d * d,
        CovarianceType.Diagonal => (long)k * d,
        _ => k,
    };

    /// <summary>
    /// Free parameters, as scikit-learn's <c>_n_parameters</c>: (K − 1) weights + K·d means + the
    /// covariances: K·d(d+1)/2 (full), K·d (diagonal) or K (spherical).
    /// </summary>
    public long ParameterCount => (K - 1) + (long)K * D + Type switch
    {
        CovarianceType.Full => (long)K * D * (D + 1) / 2,
        CovarianceType.Diagonal => (long)K * D,
        _ => K,
    };

    /// <summary>log p(x) of each of <paramref name="n"/> points (n × d row-major).</summary>
    public double[] ScoreSamples(float[] data, int n)
    {
        DataChecks.Shape("Gaussian mixture", data, n, D);
        var r = new double[n];
        var lpa = new double[K];
        var diff = new double[D];
        var y = new double[D];
        for (int i = 0; i < n; i++) r[i] = LogSumExp(data.AsSpan(i * D, D), lpa, diff, y, out _);
        return r;
    }

    /// <summary>Mean log-likelihood per point of the data (scikit-learn's <c>score</c>).</summary>
    public double Score(float[] data, int n) => ScoreSamples(data, n).Average();

    /// <summary>Bayesian information criterion on the data: −2·n·score + p·ln n (lower is better).</summary>
    public double Bic(float[] data, int n) => -2 * Score(data, n) * n + ParameterCount * Math.Log(n);

    /// <summary>Akaike information criterion on the data: −2·n·score + 2p (lower is better).</summary>
    public double Aic(float[] data, int n) => -2 * Score(data, n) * n + 2.0 * ParameterCount;

    /// <summary>The most likely component of each point (ties to the lowest index).</summary>
    public int[] Predict(float[] data, int n)
    {
        DataChecks.Shape("Gaussian mixture", data, n, D);
        var labels = new int[n];
        var lp = new double[K]; var diff = new double[D]; var y = new double[D];
        for (int i = 0; i < n; i++) { LogSumExp(data.AsSpan(i * D, D), lp, diff, y, out labels[i]); }
        return labels;
    }

    /// <summary>Responsibilities p(k | x), n × K row-major.</summary>
    public double[] PredictProba(float[] data, int n)
    {
        DataChecks.Shape("Gaussian mixture", data, n, D);
        var p = new double[(long)n * K];
        var lp = new double[K]; var diff = new double[D]; var y = new double[D];
        for (int i = 0; i < n; i++)
        {
            double norm = LogSumExp(data.AsSpan(i * D, D), lp, diff, y, out _);
            for (int c = 0; c < K; c++) p[(long)i * K + c] = Math.Exp(lp[c] - norm);
        }
        return p;
    }

    /// <summary>log πₖ + log 𝒩(x | μₖ, Σₖ) for one component; writes x − μₖ to <paramref name="diff"/> (d), uses <paramref name="y"/> (d) as scratch.</summary>
    internal double WeightedLogProb(ReadOnlySpan<float> x, int c, Span<double> diff, Span<double> y)
    {
        int d = D;
        var mu = Means.AsSpan(c * d, d);
        double maha = 0;
        switch (Type)
        {
            case CovarianceType.Diagonal:
                {
                    var prec = precision.AsSpan(c * d, d);
                    for (int j = 0; j < d; j++) { double t = x[j] - mu[j]; diff[j] = t; maha += t * t * prec[j]; }
                    break;
                }
            case CovarianceType.Spherical:
                for (int j = 0; j < d; j++) { double t = x[j] - mu[j]; diff[j] = t; maha += t * t; }
                maha *= precision[c];
                break;
            default:
                {
                    // Solve L y = x − μ by forward substitution; (x − μ)ᵀ Σ⁻¹ (x − μ) = ‖y‖².
                    var l = chol.AsSpan(c * d * d, d * d);
                    for (int a = 0; a < d; a++)
                    {
                        double t = x[a] - mu[a];
                        diff[a] = t;
                        var row = l.Slice(a * d, a);
                        for (int b = 0; b < a; b++) t -= row[b] * y[b];
                        t /= l[a * d + a];
                        y[a] = t;
                        maha += t * t;
                    }
                    break;
                }
        }
        return logConst[c] - 0.5 * maha;
    }

    /// <summary>log Σₖ exp(lpₖ) over the components' weighted log-probabilities (written to <paramref name="lp"/>), and the arg-max.</summary>
    internal double LogSumExp(ReadOnlySpan<float> x, Span<double> lp, Span<double> diff, Span<double> y, out int best)
    {
        best = 0;
        double max = double.NegativeInfinity;
        for (int c = 0; c < K; c++)
        {
            lp[c] = WeightedLogProb(x, c, diff, y);
            if (lp[c] > max) { max = lp[c]; best = c; }
        }
        if (double.IsNegativeInfinity(max)) return max;
        double s = 0;
        for (int c = 0; c < K; c++) s += Math.Exp(lp[c] - max);
        return max + Math.Log(s);
    }

    private static double Positive(double v, int c)
    {
        if (!(v > 0) || double.IsInfinity(v))
            throw new UserError($"Gaussian mixture: component {c} has variance {v} (it collapsed onto too few points); raise reg_covar or lower k");
        return v;
    }

    /// <summary>Lower Cholesky factor of a symmetric d × d matrix into <paramref name="l"/>; returns log det.</summary>
    private static double Cholesky(ReadOnlySpan<double> a, Span<double> l, int d, int c)
    {
        double logDet = 0;
        for (int i = 0; i < d; i++)
            for (int j = 0; j <= i; j++)
            {
                double s = a[i * d + j];
                for (int t = 0; t < j; t++) s -= l[i * d + t] * l[j * d + t];
                if (i == j)
                {
                    if (!(s > 0) || double.IsInfinity(s))
                        throw new UserError($"Gaussian mixture: component {c}'s covariance is not positive definite (it collapsed onto too few points, or columns are collinear); raise reg_covar, lower k or use diagonal covariances");
                    l[i * d + i] = Math.Sqrt(s);
                    logDet += Math.Log(s);
                }
                else l[i * d + j] = s / l[j * d + j];
            }
        return logDet;
    }
}
