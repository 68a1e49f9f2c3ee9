using HpcLearn.Tasks.Clustering;
using Xunit;

namespace HpcLearn.Tests.Tasks.Clustering;

/// <summary>Gaussian mixtures against hand-computed densities, an EM step done by hand, known blobs, and BIC/AIC formulas.</summary>
public sealed class GaussianMixtureTests
{
    private static readonly double Log2Pi = Math.Log(2 * Math.PI);

    /// <summary>Three blobs with unequal sizes 600 / 300 / 100 and spreads 0.5 / 1 / 0.3.</summary>
    private static (float[] X, int[] Y, int N) UnequalBlobs()
    {
        var parts = new[]
        {
            ClusterData.Blobs(600, [0f, 0f], 2, 0.5, seed: 1),
            ClusterData.Blobs(300, [10f, 0f], 2, 1.0, seed: 2),
            ClusterData.Blobs(100, [0f, 10f], 2, 0.3, seed: 3),
        };
        var x = parts.SelectMany(p => p.Data).ToArray();
        var y = parts.SelectMany((p, c) => Enumerable.Repeat(c, p.N)).ToArray();
        return (x, y, y.Length);
    }

    [Theory]
    [InlineData(CovarianceType.Full, GaussianMixtureInit.KMeans)]
    [InlineData(CovarianceType.Diagonal, GaussianMixtureInit.KMeans)]
    [InlineData(CovarianceType.Spherical, GaussianMixtureInit.KMeansPlusPlus)]
    [InlineData(CovarianceType.Full, GaussianMixtureInit.KMeansPlusPlus)]
    public void Recovers_means_weights_and_spreads_of_well_separated_blobs(CovarianceType type, GaussianMixtureInit init)
    {
        var (x, y, n) = UnequalBlobs();
        var r = GaussianMixture.Fit(x, n, 2, new GaussianMixtureOptions { K = 3, Covariance = type, Init = init, Seed = 5, Threads = 2 });
        Assert.Equal(1.0, ClusterMetrics.AdjustedRandIndex(y, r.Labels));
        Assert.True(r.Converged);
        var trueMeans = new[] { (0.0, 0.0), (10.0, 0.0), (0.0, 10.0) };
        double[] trueWeights = [0.6, 0.3, 0.1], trueStd = [0.5, 1.0, 0.3];
        for (int t = 0; t < 3; t++)
        {
            int c = r.Labels[Array.IndexOf(y, t)];
            Assert.Equal(trueWeights[t], r.Model.Weights[c], 6);  // every point of blob t, and only those, in component c
            Assert.Equal(trueMeans[t].Item1, r.Model.Means[2 * c], 0.15);
            Assert.Equal(trueMeans[t].Item2, r.Model.Means[2 * c + 1], 0.15);
            double var0 = type switch { CovarianceType.Full => r.Model.Covariances[4 * c], CovarianceType.Diagonal => r.Model.Covariances[2 * c], _ => r.Model.Covariances[c] };
            Assert.InRange(Math.Sqrt(var0) / trueStd[t], 0.85, 1.15);
        }
    }

    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Diagonal)]
    [InlineData(CovarianceType.Spherical)]
    public void Log_likelihood_never_decreases(CovarianceType type)
    {
        var blobs = ClusterData.Blobs(1500, k: 4, d: 3, std: 3, seed: 2, box: 5);
        var r = GaussianMixture.Fit(blobs.Data, blobs.N, 3, new GaussianMixtureOptions
        {
            K = 4, Covariance = type, Init = GaussianMixtureInit.KMeansPlusPlus, MaxIterations = 40, Tolerance = 0, RegCovar = 0, Seed = 1, Threads = 2,
        });
        Assert.Equal(41, r.LogLikelihoodHistory.Length);
        Assert.True(r.LogLikelihoodHistory[^1] > r.LogLikelihoodHistory[0] + 1e-3, "EM made no progress");
        for (int i = 1; i < r.LogLikelihoodHistory.Length; i++)
            Assert.True(r.LogLikelihoodHistory[i] >= r.LogLikelihoodHistory[i - 1] - 1e-12,
                $"iteration {i}: {r.LogLikelihoodHistory[i]} < {r.LogLikelihoodHistory[i - 1]}");
        Assert.Equal(r.Model.Score(blobs.Data, blobs.N), r.LogLikelihood, 9);
    }

    [Fact]
    public void One_em_step_matches_a_hand_computed_step()
    {
        // 1-D points, two components starting at means 0 and 6, variances 1 and 4, weights 0.5 each.
        float[] x = [0, 1, 4, 5, 10];
        double[] w = [0.5, 0.5], mu = [0, 6], v = [1, 4];
        const double reg = 1e-6;
        var r = GaussianMixture.Fit(x, 5, 1, new GaussianMixtureOptions
        {
            K = 2, Covariance = CovarianceType.Diagonal, Init = GaussianMixtureInit.Given, InitialWeights = w, InitialMeans = mu, InitialCovariances = v,
            MaxIterations = 1, Tolerance = 0, RegCovar = reg,
        });
        // E-step by hand: resp[i, c] ∝ w_c N(x_i | mu_c, v_c).
        var resp = new double[5, 2];
        double ll0 = 0;
        for (int i = 0; i < 5; i++)
        {
            double p0 = w[0] * Normal(x[i], mu[0], v[0]), p1 = w[1] * Normal(x[i], mu[1], v[1]);
            resp[i, 0] = p0 / (p0 + p1); resp[i, 1] = p1 / (p0 + p1);
            ll0 += Math.Log(p0 + p1);
        }
        Assert.Equal(ll0 / 5, r.LogLikelihoodHistory[0], 10);
        for (int c = 0; c < 2; c++)
        {
            double nk = 0, sx = 0;
            for (int i = 0; i < 5; i++) { nk += resp[i, c]; sx += resp[i, c] * x[i]; }
            double mean = sx / nk, var = 0;
            for (int i = 0; i < 5; i++) var += resp[i, c] * (x[i] - mean) * (x[i] - mean);
            Assert.Equal(nk / 5, r.Model.Weights[c], 10);
            Assert.Equal(mean, r.Model.Means[c], 10);
            Assert.Equal(var / nk + reg, r.Model.Covariances[c], 10);
        }
        // The final log-likelihood is at the updated parameters.
        double ll1 = x.Sum(xi => Math.Log(r.Model.Weights[0] * Normal(xi, r.Model.Means[0], r.Model.Covariances[0]) + r.Model.Weights[1] * Normal(xi, r.Model.Means[1], r.Model.Covariances[1])));
        Assert.Equal(ll1 / 5, r.LogLikelihood, 10);
    }

    [Fact]
    public void Full_covariance_density_matches_the_hand_computed_value()
    {
        // Σ = [[2, 0.5], [0.5, 1]]: det 1.75, Σ⁻¹ = [[1, -0.5], [-0.5, 2]] / 1.75. For x − μ = (1, −1):
        // (x − μ)ᵀ Σ⁻¹ (x − μ) = (1 + 1 + 2) / 1.75.
        var m = new GaussianMixtureModel(CovarianceType.Full, 1, 2, [1.0], [3, 4], [2, 0.5, 0.5, 1]);
        double expected = -0.5 * (2 * Log2Pi + Math.Log(1.75) + 4 / 1.75);
        Assert.Equal(expected, m.ScoreSamples([4f, 3f], 1)[0], 12);
        // A two-component mixture: log(0.3 p₁ + 0.7 p₂) with p₂ an isotropic unit Gaussian at the origin.
        var m2 = new GaussianMixtureModel(CovarianceType.Full, 2, 2, [0.3, 0.7], [3, 4, 0, 0], [2, 0.5, 0.5, 1, 1, 0, 0, 1]);
        double p1 = Math.Exp(expected), p2 = Math.Exp(-0.5 * (2 * Log2Pi + 16 + 9));
        Assert.Equal(Math.Log(0.3 * p1 + 0.7 * p2), m2.ScoreSamples([4f, 3f], 1)[0], 12);
        var proba = m2.PredictProba([4f, 3f], 1);
        Assert.Equal(0.3 * p1 / (0.3 * p1 + 0.7 * p2), proba[0], 12);
        Assert.Equal([0], m2.Predict([4f, 3f], 1));
    }

    [Fact]
    public void Far_points_do_not_underflow_to_minus_infinity()
    {
        // 1000 standard deviations away, every density underflows in linear space; log-sum-exp keeps it finite.
        var m = new GaussianMixtureModel(CovarianceType.Spherical, 2, 1, [0.5, 0.5], [0, 1], [1, 1]);
        double s = m.ScoreSamples([1000f], 1)[0];
        double expected = Math.Log(0.5 * Math.Exp(-0.5 * (1e6 - 998001)) + 0.5) - 0.5 * (Log2Pi + 998001); // factor out the nearer one
        Assert.True(double.IsFinite(s));
        Assert.Equal(expected, s, 6);
        Assert.Equal([1], m.Predict([1000f], 1));
    }

    [Fact]
    public void Bic_and_aic_follow_scikit_learns_formulas_and_parameter_counts()
    {
        // Parameter counts, k = 3, d = 2: (k − 1) weights + k·d means + covariances.
        Assert.Equal(2 + 6 + 9, new GaussianMixtureModel(CovarianceType.Full, 3, 2, [0.2, 0.3, 0.5], new double[6], Repeat([1, 0, 0, 1], 3)).ParameterCount);
        Assert.Equal(2 + 6 + 6, new GaussianMixtureModel(CovarianceType.Diagonal, 3, 2, [0.2, 0.3, 0.5], new double[6], Repeat([1, 1], 3)).ParameterCount);
        Assert.Equal(2 + 6 + 3, new GaussianMixtureModel(CovarianceType.Spherical, 3, 2, [0.2, 0.3, 0.5], new double[6], [1, 1, 1]).ParameterCount);
        // Tiny case: 1-D, two diagonal components, three points: p = 1 + 2 + 2 = 5.
        var m = new GaussianMixtureModel(CovarianceType.Diagonal, 2, 1, [0.25, 0.75], [0, 2], [1, 0.5]);
        float[] x = [0, 1, 3];
        double logL = x.Sum(xi => Math.Log(0.25 * Normal(xi, 0, 1) + 0.75 * Normal(xi, 2, 0.5)));
        Assert.Equal(logL / 3, m.Score(x, 3), 12);
        Assert.Equal(-2 * logL + 5 * Math.Log(3), m.Bic(x, 3), 10);
        Assert.Equal(-2 * logL + 2 * 5, m.Aic(x, 3), 10);
    }

    [Fact]
    public void Bic_picks_the_true_number_of_components()
    {
        var (x, _, n) = UnequalBlobs();
        var bic = Enumerable.Range(1, 5).Select(k => GaussianMixture.Fit(x, n, 2, new GaussianMixtureOptions { K = k, Covariance = CovarianceType.Diagonal, Seed = 3, Threads = 2 }).Bic).ToList();
        Assert.Equal(3, bic.IndexOf(bic.Min()) + 1);
    }

    [Fact]
    public void One_and_two_threads_give_identical_results()
    {
        var blobs = ClusterData.Blobs(5000, k: 3, d: 3, std: 2, seed: 4);
        var o = new GaussianMixtureOptions { K = 3, Covariance = CovarianceType.Full, Seed = 2, MaxIterations = 10, Tolerance = 0 };
        var a = GaussianMixture.Fit(blobs.Data, blobs.N, 3, o with { Threads = 1 });
        var b = GaussianMixture.Fit(blobs.Data, blobs.N, 3, o with { Threads = 2 });
        Assert.Equal(a.Model.Means, b.Model.Means);
        Assert.Equal(a.Model.Covariances, b.Model.Covariances);
        Assert.Equal(a.LogLikelihood, b.LogLikelihood);
        Assert.Equal(a.Labels, b.Labels);
    }

    [Fact]
    public void Bad_input_gives_one_line_errors()
    {
        var e1 = Assert.Throws<UserError>(() => GaussianMixture.Fit([1f, 1f, 1f], 3, 1, new GaussianMixtureOptions { K = 2 }));
        Assert.Equal("Gaussian mixture: k = 2 is larger than the number of distinct points (1); lower k", e1.Message);
        var e2 = Assert.Throws<UserError>(() => GaussianMixture.Fit([1f, 2f, float.NaN, 4f], 2, 2, new GaussianMixtureOptions { K = 1 }));
        Assert.Equal("Gaussian mixture: the data has NaN at row 2, column 1; remove or impute it", e2.Message);
        var e3 = Assert.Throws<UserError>(() => GaussianMixture.Fit([1f, 2f], 2, 1, new GaussianMixtureOptions { K = 1, Init = GaussianMixtureInit.Given }));
        Assert.Equal("Gaussian mixture: init 'given' needs initial weights, means and covariances", e3.Message);
        var e4 = Assert.Throws<UserError>(() => new GaussianMixtureModel(CovarianceType.Full, 1, 2, [1.0], [0, 0], [1, 2, 2, 1]));
        Assert.StartsWith("Gaussian mixture: component 0's covariance is not positive definite", e4.Message);
    }

    [Fact]
    public void K_equal_one_is_the_sample_mean_and_covariance()
    {
        float[] x = [0, 0, 2, 0, 0, 4, 2, 4];
        var r = GaussianMixture.Fit(x, 4, 2, new GaussianMixtureOptions { K = 1, RegCovar = 0 });
        Assert.Equal([1.0, 2.0], r.Model.Means.Select(v => Math.Round(v, 12)));
        Assert.Equal([1.0, 0, 0, 4], r.Model.Covariances.Select(v => Math.Round(v, 12)));
        Assert.Equal(1.0, r.Model.Weights[0], 12);
    }

    private static double Normal(double x, double mu, double v) => Math.Exp(-0.5 * (x - mu) * (x - mu) / v) / Math.Sqrt(2 * Math.PI * v);

    private static double[] Repeat(double[] block, int times) => Enumerable.Repeat(block, times).SelectMany(b => b).ToArray();
}
