namespace HpcLearn.Tasks.Games;

/// <summary>Samples from a symmetric Dirichlet distribution (normalised Gamma variates).</summary>
public static class Dirichlet
{
    /// <summary>Fills <paramref name="dest"/> with one Dirichlet(α, ..., α) sample.</summary>
    public static void Sample(Random rng, double alpha, Span<double> dest)
    {
        double sum = 0;
        for (int i = 0; i < dest.Length; i++) sum += dest[i] = Gamma(rng, alpha);
        if (sum <= 0) { dest.Fill(1.0 / dest.Length); return; }
        for (int i = 0; i < dest.Length; i++) dest[i] /= sum;
    }

    /// <summary>A Gamma(α, 1) variate (Marsaglia and Tsang 2000; α &lt; 1 by the boost U^(1/α)).</summary>
    public static double Gamma(Random rng, double alpha)
    {
        if (alpha < 1) return Gamma(rng, alpha + 1) * Math.Pow(1 - rng.NextDouble(), 1 / alpha);
        double d = alpha - 1.0 / 3, c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do { x = Normal(rng); v = 1 + c * x; } while (v <= 0);
            v = v * v * v;
            double u = 1 - rng.NextDouble();
            if (Math.Log(u) < 0.5 * x * x + d - d * v + d * Math.Log(v)) return d * v;
        }
    }

    private static double Normal(Random rng)
        => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
