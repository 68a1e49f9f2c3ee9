using System.Numerics;

namespace HpcLearn.Tasks.Cluster;

/// <summary>
/// Hamerly's bounds (2010) for the assignment step: per point the exact distance u to its own centre
/// and a lower bound l on the distance to every other centre; per centre s = ½ · distance to its
/// nearest other centre. When u ≤ max(s, l) the point keeps its centre without looking at the others
/// (triangle inequality); otherwise all k distances are computed. After the centres move by p, l drops
/// by the largest p of the other centres. u is recomputed exactly each step (O(d) per point), so
/// distances and inertia are exact; only the k-fold scan is skipped.
/// </summary>
internal sealed class HamerlyBounds
{
    private readonly float[] x;
    private readonly int n, d, k;
    private readonly double[] lower;
    private float[]? previous;   // the centres of the last step
    private readonly double[] half = [], move = [];

    public HamerlyBounds(float[] x, int n, int d, int k)
    {
        this.x = x; this.n = n; this.d = d; this.k = k;
        lower = new double[n];
        half = new double[k];
        move = new double[k];
    }

    /// <summary>Forgets the last step: the next one scans every centre for every point.</summary>
    public void Reset() => previous = null;

    /// <summary>Called once per step before <see cref="Assign"/>: the per-centre half gaps and the moves since the last step.</summary>
    public void Prepare(float[] centres)
    {
        for (int c = 0; c < k; c++)
        {
            double best = double.PositiveInfinity;
            for (int o = 0; o < k; o++) if (o != c) best = Math.Min(best, Dist(centres.AsSpan(c * d, d), centres.AsSpan(o * d, d)));
            half[c] = 0.5 * best;
            move[c] = previous is null ? double.PositiveInfinity : Dist(centres.AsSpan(c * d, d), previous.AsSpan(c * d, d));
        }
        previous = (float[])centres.Clone();
    }

    /// <summary>Labels and squared distances of points [s, e); <paramref name="labels"/> hold the last step's labels on entry (ignored on the first step).</summary>
    public void Assign(int s, int e, float[] centres, int[] labels, float[] dist)
    {
        // The largest and second-largest move, for l −= max over the other centres.
        int top = 0; double m1 = double.NegativeInfinity, m2 = double.NegativeInfinity;
        for (int c = 0; c < k; c++)
        {
            if (move[c] > m1) { m2 = m1; m1 = move[c]; top = c; }
            else if (move[c] > m2) m2 = move[c];
        }
        if (k == 1) m2 = 0;
        for (int i = s; i < e; i++)
        {
            var xi = x.AsSpan(i * d, d);
            int a = labels[i];
            double l = double.IsPositiveInfinity(m1) ? double.NegativeInfinity : lower[i] - (a == top ? m2 : m1);
            double u = double.IsPositiveInfinity(m1) ? double.PositiveInfinity : Dist(xi, centres.AsSpan(a * d, d));
            if (u > Math.Max(half[a], l))
            {
                double d1 = double.PositiveInfinity, d2 = double.PositiveInfinity;
                for (int c = 0; c < k; c++)
                {
                    double v = Dist(xi, centres.AsSpan(c * d, d));
                    if (v < d1) { d2 = d1; d1 = v; a = c; }
                    else if (v < d2) d2 = v;
                }
                u = d1; l = d2;
            }
            labels[i] = a;
            lower[i] = l;
            dist[i] = (float)(u * u);
        }
    }

    private static double Dist(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int j = 0, w = Vector<float>.Count;
        var acc = Vector<float>.Zero;
        for (; j + w <= a.Length; j += w)
        {
            var t = new Vector<float>(a.Slice(j)) - new Vector<float>(b.Slice(j));
            acc = Vector.FusedMultiplyAdd(t, t, acc);
        }
        double s = Vector.Sum(acc);
        for (; j < a.Length; j++) { double t = (double)a[j] - b[j]; s += t * t; }
        return Math.Sqrt(s);
    }
}
