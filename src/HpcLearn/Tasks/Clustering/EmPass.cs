namespace HpcLearn.Tasks.Clustering;

/// <summary>
/// One pass of EM over the data, E-step and M-step statistics fused: for each point the weighted
/// log-probabilities log πₖ + log 𝒩(x | μₖ, Σₖ), their log-sum-exp (the point's log-likelihood), the
/// responsibilities rₖ = exp(· − log-sum-exp), and the sums Nₖ = Σ rₖ, S₁ = Σ rₖ(x − μₖ),
/// S₂ = Σ rₖ(x − μₖ)(x − μₖ)ᵀ (or its diagonal). The sums are taken about the current means, so the
/// new covariance S₂/Nₖ − δδᵀ (δ = S₁/Nₖ) does not lose digits to cancellation. Per-block sums in
/// double are merged in block order: the result does not depend on the thread count.
/// </summary>
internal sealed class EmPass
{
    private const double Eps10 = 10 * 2.220446049250313e-16; // scikit-learn adds 10·eps to Nₖ
    private readonly float[] x;
    private readonly int n, d, k, threads, s2Len;
    private readonly CovarianceType type;
    private readonly PointBlocks blocks;
    private readonly double[][] stats; // per block: Nₖ (k) | S₁ (k × d) | S₂ (k × s2Len)
    private readonly double[] ll;      // per block: Σ log p(x)

    public EmPass(float[] x, int n, int d, int k, CovarianceType type, int threads)
    {
        this.x = x; this.n = n; this.d = d; this.k = k; this.type = type; this.threads = threads;
        s2Len = type == CovarianceType.Full ? d * d : d;
        long perBlock = (long)k * (1 + d + s2Len);
        // At most 256 blocks and about 128 MB of partial sums; the split depends on n, k and d only.
        int count = (int)Math.Clamp(16_000_000 / perBlock, 1, 256);
        blocks = new PointBlocks(n, Math.Max(1024, (n + count - 1) / count));
        stats = new double[blocks.Count][];
        for (int b = 0; b < blocks.Count; b++) stats[b] = new double[perBlock];
        ll = new double[blocks.Count];
    }

    /// <summary>E-step at <paramref name="m"/>: returns the mean log-likelihood; with <paramref name="accumulate"/>, fills the sums; with <paramref name="labels"/>, the most likely components.</summary>
    public double Soft(GaussianMixtureModel m, bool accumulate, int[]? labels)
    {
        blocks.ForEach(threads, (b, s, e) =>
        {
            var st = stats[b];
            if (accumulate) Array.Clear(st);
            var lp = new double[k];
            var diff = new double[k * d];
            var y = new double[d];
            double acc = 0;
            for (int i = s; i < e; i++)
            {
                var xi = x.AsSpan(i * d, d);
                int best = 0;
                double max = double.NegativeInfinity;
                for (int c = 0; c < k; c++)
                {
                    lp[c] = m.WeightedLogProb(xi, c, diff.AsSpan(c * d, d), y);
                    if (lp[c] > max) { max = lp[c]; best = c; }
                }
                // log-sum-exp about the largest term; rₖ = exp(lpₖ − max) / Σ exp(· − max), one exp per component.
                double sum = 0;
                for (int c = 0; c < k; c++) { lp[c] = Math.Exp(lp[c] - max); sum += lp[c]; }
                acc += max + Math.Log(sum);
                if (labels is not null) labels[i] = best;
                if (!accumulate) continue;
                double inv = 1 / sum;
                for (int c = 0; c < k; c++)
                {
                    double r = lp[c] * inv;
                    if (r > 0) Accumulate(st, c, r, diff.AsSpan(c * d, d));
                }
            }
            ll[b] = acc;
        });
        double total = 0;
        foreach (double v in ll) total += v;
        return total / n;
    }

    /// <summary>Sums for hard assignments (responsibility 1 for the labelled component), about <paramref name="centres"/>.</summary>
    public void Hard(int[] labels, double[] centres)
    {
        blocks.ForEach(threads, (b, s, e) =>
        {
            var st = stats[b];
            Array.Clear(st);
            var diff = new double[d];
            for (int i = s; i < e; i++)
            {
                int c = labels[i];
                for (int j = 0; j < d; j++) diff[j] = x[i * d + j] - centres[c * d + j];
                Accumulate(st, c, 1, diff);
            }
        });
    }

    /// <summary>M-step from the sums (taken about <paramref name="centres"/>): new weights, means and covariances (+ <paramref name="reg"/> on the diagonal).</summary>
    public GaussianMixtureModel MStep(double[] centres, double reg)
    {
        var tot = new double[stats[0].Length];
        foreach (var st in stats) for (int t = 0; t < tot.Length; t++) tot[t] += st[t];
        var weights = new double[k];
        var means = new double[k * d];
        var cov = new double[GaussianMixtureModel.CovarianceLength(type, k, d)];
        var delta = new double[d];
        for (int c = 0; c < k; c++)
        {
            double nk = tot[c] + Eps10;
            weights[c] = nk;
            for (int j = 0; j < d; j++)
            {
                delta[j] = tot[k + c * d + j] / nk;
                means[c * d + j] = centres[c * d + j] + delta[j];
            }
            int s2 = k + k * d + c * s2Len;
            switch (type)
            {
                case CovarianceType.Diagonal:
                    for (int j = 0; j < d; j++) cov[c * d + j] = Math.Max(0, tot[s2 + j] / nk - delta[j] * delta[j]) + reg;
                    break;
                case CovarianceType.Spherical:
                    double v = 0;
                    for (int j = 0; j < d; j++) v += Math.Max(0, tot[s2 + j] / nk - delta[j] * delta[j]) + reg;
                    cov[c] = v / d;
                    break;
                default:
                    for (int a = 0; a < d; a++)
                        for (int bb = 0; bb <= a; bb++)
                        {
                            double t = tot[s2 + a * d + bb] / nk - delta[a] * delta[bb] + (a == bb ? reg : 0);
                            cov[(long)c * d * d + a * d + bb] = t;
                            cov[(long)c * d * d + bb * d + a] = t;
                        }
                    break;
            }
        }
        double wsum = weights.Sum();
        for (int c = 0; c < k; c++) weights[c] /= wsum;
        return new GaussianMixtureModel(type, k, d, weights, means, cov);
    }

    private void Accumulate(double[] st, int c, double r, ReadOnlySpan<double> diff)
    {
        st[c] += r;
        var s1 = st.AsSpan(k + c * d, d);
        var s2 = st.AsSpan(k + k * d + c * s2Len, s2Len);
        if (type == CovarianceType.Full)
        {
            for (int a = 0; a < d; a++)
            {
                double ra = r * diff[a];
                s1[a] += ra;
                var row = s2.Slice(a * d, a + 1);
                for (int b = 0; b <= a; b++) row[b] += ra * diff[b];
            }
        }
        else
        {
            for (int j = 0; j < d; j++) { double rj = r * diff[j]; s1[j] += rj; s2[j] += rj * diff[j]; }
        }
    }
}
