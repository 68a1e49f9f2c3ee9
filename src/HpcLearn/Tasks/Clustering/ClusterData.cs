namespace HpcLearn.Tasks.Clustering;

/// <summary>
/// Synthetic clustering data with known labels, as scikit-learn's make_blobs, make_moons and
/// make_circles. Deterministic for a seed (System.Random with a seed, Box–Muller normals).
/// </summary>
public static class ClusterData
{
    /// <summary>Gaussian blobs around the given centres (k × d row-major); points split as evenly as possible, in centre order.</summary>
    public static ClusterDataSet Blobs(int n, float[] centres, int d, double std, int seed)
    {
        if (n < 1) throw new UserError($"blobs: n must be at least 1 (got {n})");
        if (d < 1 || centres is null || centres.Length == 0 || centres.Length % d != 0)
            throw new UserError($"blobs: centres must hold k x {d} values");
        if (!(std >= 0)) throw new UserError($"blobs: std must be >= 0 (got {std})");
        int k = centres.Length / d;
        var rng = new Random(seed);
        var x = new float[(long)n * d];
        var y = new int[n];
        int i = 0;
        for (int c = 0; c < k; c++)
        {
            int count = n / k + (c < n % k ? 1 : 0);
            for (int r = 0; r < count; r++, i++)
            {
                y[i] = c;
                for (int j = 0; j < d; j++) x[(long)i * d + j] = (float)(centres[c * d + j] + std * Normal(rng));
            }
        }
        return new ClusterDataSet(x, y, n, d);
    }

    /// <summary>Gaussian blobs around k centres drawn uniformly in [−box, box]^d.</summary>
    public static ClusterDataSet Blobs(int n, int k, int d, double std, int seed, double box = 10)
    {
        if (k < 1) throw new UserError($"blobs: k must be at least 1 (got {k})");
        if (d < 1) throw new UserError($"blobs: d must be at least 1 (got {d})");
        var rng = new Random(seed);
        var centres = new float[k * d];
        for (int t = 0; t < centres.Length; t++) centres[t] = (float)((rng.NextDouble() * 2 - 1) * box);
        return Blobs(n, centres, d, std, rng.Next());
    }

    /// <summary>Two interleaving half circles in 2-D (labels 0 and 1), with Gaussian noise of the given std.</summary>
    public static ClusterDataSet Moons(int n, double noise, int seed)
    {
        if (n < 2) throw new UserError($"moons: n must be at least 2 (got {n})");
        var rng = new Random(seed);
        var x = new float[n * 2];
        var y = new int[n];
        int outer = n / 2 + n % 2, inner = n / 2;
        for (int i = 0; i < n; i++)
        {
            bool first = i < outer;
            int m = first ? outer : inner, r = first ? i : i - outer;
            double t = m == 1 ? 0 : Math.PI * r / (m - 1);
            double px = first ? Math.Cos(t) : 1 - Math.Cos(t);
            double py = first ? Math.Sin(t) : 0.5 - Math.Sin(t);
            x[2 * i] = (float)(px + noise * Normal(rng));
            x[2 * i + 1] = (float)(py + noise * Normal(rng));
            y[i] = first ? 0 : 1;
        }
        return new ClusterDataSet(x, y, n, 2);
    }

    /// <summary>Two concentric circles in 2-D: outer radius 1 (label 0), inner radius <paramref name="factor"/> (label 1), Gaussian noise of the given std.</summary>
    public static ClusterDataSet Rings(int n, double noise, int seed, double factor = 0.5)
    {
        if (n < 2) throw new UserError($"rings: n must be at least 2 (got {n})");
        if (!(factor > 0 && factor < 1)) throw new UserError($"rings: factor must be in (0, 1) (got {factor})");
        var rng = new Random(seed);
        var x = new float[n * 2];
        var y = new int[n];
        int outer = n / 2 + n % 2, inner = n / 2;
        for (int i = 0; i < n; i++)
        {
            bool first = i < outer;
            int m = first ? outer : inner, r = first ? i : i - outer;
            double t = 2 * Math.PI * r / m, rad = first ? 1 : factor;
            x[2 * i] = (float)(rad * Math.Cos(t) + noise * Normal(rng));
            x[2 * i + 1] = (float)(rad * Math.Sin(t) + noise * Normal(rng));
            y[i] = first ? 0 : 1;
        }
        return new ClusterDataSet(x, y, n, 2);
    }

    private static double Normal(Random rng)
    {
        double u = 1.0 - rng.NextDouble(), v = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }
}
