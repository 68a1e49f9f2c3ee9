using System.Globalization;

namespace HpcLearn.Tasks.Recommend;

/// <summary>
/// Built-in ratings with a known structure, so tests can check that a model recovers it.
/// The expected rating of user u for item i is r* = μ + b_u + b_i + p_u·q_i with Gaussian biases
/// and factors; the observed rating is clamp(r* + ε, 1, 5) with ε ~ N(0, σ²), rounded to whole
/// stars unless <c>stars</c> is off. Which pairs are rated is skewed twice: item exposure has the
/// weight rank^−skew · exp(σ_pop z_i) (a Zipf law over a random ranking of the items times a
/// log-normal factor whose z_i also raises b_i by the quality correlation) and user activity is
/// log-normal, and an exposed pair is rated with probability σ(β (r* − μ − t)) (missing not at
/// random: people rate what they like; t = 0 unless set).
/// Timestamps increase in drawing order.
/// </summary>
public static class SyntheticRatings
{
    /// <summary>The global mean μ of the expected ratings.</summary>
    public const double GlobalMean = 3.5;
    /// <summary>Lowest rating.</summary>
    public const float Min = 1f;
    /// <summary>Highest rating.</summary>
    public const float Max = 5f;

    /// <summary>Draws the ratings (deterministic for a seed).</summary>
    public static SyntheticRatingsResult Generate(SyntheticRatingsOptions o, int seed)
    {
        var rng = new Random(seed);
        int f = o.Factors;
        double s = Math.Pow(o.InteractionStd * o.InteractionStd / f, 0.25); // Var(p·q) = F s⁴
        double[] bu = Draw(rng, o.Users, 0.4), bi = Draw(rng, o.Items, 0.5);
        double[] p = Draw(rng, o.Users * f, s), q = Draw(rng, o.Items * f, s);

        var itemRank = Enumerable.Range(0, o.Items).ToArray();
        for (int k = o.Items - 1; k > 0; k--) { int j = rng.Next(k + 1); (itemRank[k], itemRank[j]) = (itemRank[j], itemRank[k]); }
        // The log-normal exposure factor and its tie to item quality are drawn only when asked for, so
        // data drawn without them is the same as before they existed.
        var exposure = o.PopularitySigma > 0 ? Draw(rng, o.Items, 1) : new double[o.Items];
        if (o.PopularitySigma > 0 && o.QualityCorrelation != 0)
        {
            double rho = o.QualityCorrelation, rest = Math.Sqrt(1 - rho * rho);
            for (int i = 0; i < o.Items; i++) bi[i] = 0.5 * rho * exposure[i] + rest * bi[i];
        }
        var itemCdf = Cumulative(Enumerable.Range(0, o.Items).Select(i => Math.Pow(itemRank[i] + 1, -o.PopularitySkew) * Math.Exp(o.PopularitySigma * exposure[i])));
        var userCdf = Cumulative(Enumerable.Range(0, o.Users).Select(_ => Math.Exp(Gauss(rng))));

        var rows = new List<Rating>(o.Ratings);
        var truth = new List<float>(o.Ratings);
        var seen = new HashSet<long>();
        long attempts = 0, limit = 2000L * o.Ratings;
        while (rows.Count < o.Ratings)
        {
            if (++attempts > limit) throw new UserError($"data.synthetic: could not draw {o.Ratings} distinct ratings; lower data.synthetic.ratings or data.synthetic.popularity_skew");
            int u = Pick(userCdf, rng.NextDouble()), i = Pick(itemCdf, rng.NextDouble());
            if (seen.Contains((long)u * o.Items + i)) continue;
            double dot = 0;
            for (int k = 0; k < f; k++) dot += p[u * f + k] * q[i * f + k];
            double expected = GlobalMean + bu[u] + bi[i] + dot;
            if (rng.NextDouble() >= Sigmoid(o.Selection * (expected - GlobalMean - o.SelectionOffset))) continue;
            seen.Add((long)u * o.Items + i);
            double r = Math.Clamp(expected + o.Noise * Gauss(rng), Min, Max);
            if (o.Stars) r = Math.Round(r, MidpointRounding.AwayFromZero);
            rows.Add(new Rating((u + 1).ToString(CultureInfo.InvariantCulture), (i + 1).ToString(CultureInfo.InvariantCulture),
                (float)r, 1_000_000_000L + 60L * rows.Count, rows.Count + 1));
            truth.Add((float)(o.Stars ? StarsMean(expected, o.Noise, Min, Max) : ClampedMean(expected, o.Noise, Min, Max)));
        }
        string source = $"built-in synthetic ratings ({o.Users} users, {o.Items} items, noise {o.Noise.ToString(CultureInfo.InvariantCulture)}{(o.Stars ? ", whole stars" : "")})";
        return new SyntheticRatingsResult(new RatingsLog(source, rows, 0, 0, HasTimestamps: true, HasRatings: true), truth.ToArray());
    }

    /// <summary>E[clamp(X, a, b)] for X ~ N(m, σ²): the best possible prediction of a clamped noisy rating.</summary>
    public static double ClampedMean(double m, double sigma, double a, double b)
    {
        if (sigma == 0) return Math.Clamp(m, a, b);
        double al = (a - m) / sigma, be = (b - m) / sigma;
        return a * Phi(al) + b * (1 - Phi(be)) + m * (Phi(be) - Phi(al)) + sigma * (Pdf(al) - Pdf(be));
    }

    /// <summary>
    /// E[round(clamp(X, a, b))] for X ~ N(m, σ²) and whole-number bounds: the best possible prediction
    /// of a star rating, Σ_k k · P(the rating rounds to k).
    /// </summary>
    public static double StarsMean(double m, double sigma, double a, double b)
    {
        if (sigma == 0) return Math.Round(Math.Clamp(m, a, b), MidpointRounding.AwayFromZero);
        double mean = 0, below = 0;
        for (double k = a; k <= b; k++)
        {
            double upTo = k >= b ? 1 : Phi((k + 0.5 - m) / sigma);
            mean += k * (upTo - below);
            below = upTo;
        }
        return mean;
    }

    private static double Pdf(double x) => Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI);

    // Standard normal CDF through erf (Abramowitz and Stegun 7.1.26, error below 1.5e-7).
    private static double Phi(double x)
    {
        double z = Math.Abs(x) / Math.Sqrt(2), t = 1 / (1 + 0.3275911 * z);
        double erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-z * z);
        return 0.5 * (1 + (x >= 0 ? erf : -erf));
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static double[] Draw(Random rng, int n, double std)
    {
        var v = new double[n];
        for (int k = 0; k < n; k++) v[k] = std * Gauss(rng);
        return v;
    }

    // Box–Muller; one of the pair is dropped for simplicity.
    private static double Gauss(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static double[] Cumulative(IEnumerable<double> weights)
    {
        var c = weights.ToArray();
        for (int k = 1; k < c.Length; k++) c[k] += c[k - 1];
        for (int k = 0; k < c.Length; k++) c[k] /= c[^1];
        return c;
    }

    private static int Pick(double[] cdf, double x)
    {
        int at = Array.BinarySearch(cdf, x);
        return Math.Min(at < 0 ? ~at : at, cdf.Length - 1);
    }
}
