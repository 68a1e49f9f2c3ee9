using System.Numerics;

namespace HpcLearn.Tasks.Clustering;

/// <summary>
/// Elkan's bounds (2003) for the assignment step: per point the exact distance u to its own centre
/// and a lower bound l(c) on its distance to every centre c; per pair of centres half their distance.
/// A centre c is looked at only when u &gt; l(c) and u &gt; ½‖c_a − c‖ (triangle inequality: otherwise
/// it cannot be nearer). After the centres move by p, l(c) drops by p(c). u is recomputed exactly each
/// step (O(d) per point), so distances and inertia are exact; only hopeless centres are skipped.
/// </summary>
internal sealed class ElkanBounds
{
    private readonly float[] x;
    private readonly int row0, d, k;
    private readonly float[] lower;   // (rows, k): for points first .. first + rows - 1
    private readonly float[] upper;   // (rows): an upper bound on the distance to the own centre
    private float[]? previous;        // the centres of the last step
    private readonly double[] halfGap, move, nearestHalfGap;
    private readonly float[] moveUp;  // each move rounded up to float

    public ElkanBounds(float[] x, int first, int rows, int d, int k)
    {
        this.x = x; row0 = first; this.d = d; this.k = k;
        lower = new float[(long)rows * k];
        upper = new float[rows];
        halfGap = new double[k * k];
        nearestHalfGap = new double[k];
        move = new double[k];
        moveUp = new float[k];
    }

    /// <summary>The centres packed for the assignment kernel (set before a first step to use it), with the points' squared norms.</summary>
    public PackedCentres? Kernel { get; set; }

    /// <summary>The points' squared norms, for <see cref="Kernel"/>.</summary>
    public float[]? XNorm { get; set; }

    /// <summary>Forgets the last step: the next one computes every distance.</summary>
    public void Reset() => previous = null;

    /// <summary>Called once per step before <see cref="Assign"/>: half the centre–centre distances and the moves since the last step.</summary>
    public void Prepare(float[] centres)
    {
        for (int c = 0; c < k; c++)
        {
            for (int o = 0; o < k; o++) halfGap[c * k + o] = o == c ? 0 : 0.5 * Dist(centres.AsSpan(c * d, d), centres.AsSpan(o * d, d));
            move[c] = previous is null ? double.PositiveInfinity : Dist(centres.AsSpan(c * d, d), previous.AsSpan(c * d, d));
        }
        for (int c = 0; c < k; c++) moveUp[c] = double.IsPositiveInfinity(move[c]) ? float.PositiveInfinity : MathF.BitIncrement((float)move[c]);
        for (int c = 0; c < k; c++)
        {
            double m = double.PositiveInfinity;
            for (int o = 0; o < k; o++) if (o != c) m = Math.Min(m, halfGap[c * k + o]);
            nearestHalfGap[c] = m;
        }
        previous = (float[])centres.Clone();
    }

    /// <summary>Whether the step after the last <see cref="Prepare"/> is the first (every distance is computed).</summary>
    public bool First => double.IsPositiveInfinity(move[0]);

    /// <summary>
    /// Labels of points [s, e) without reading a point unless its bounds say its centre may have
    /// changed (Elkan's original algorithm: the upper bound grows by the own centre's move and is
    /// made exact only when a test fails). Points whose label changes are reported to
    /// <paramref name="changed"/> (point, old label, new label), so centre sums can be updated by
    /// the movers alone; distances are not produced. Call after a first step (<see cref="Assign"/>).
    /// </summary>
    public void AssignLazy(int s, int e, float[] centres, int[] labels, Action<int, int, int> changed)
    {
        for (int i = s; i < e; i++)
        {
            var l = lower.AsSpan((i - row0) * k, k);
            Shrink(l);
            int a = labels[i];
            double u = MathF.BitIncrement((float)(upper[i - row0] + move[a]));
            if (u <= nearestHalfGap[a]) { upper[i - row0] = (float)u; continue; }
            bool tight = false;
            ReadOnlySpan<float> xi = default;
            for (int c = 0; c < k; c++)
            {
                if (c == a || u <= l[c] || u <= halfGap[a * k + c]) continue;
                if (!tight)
                {
                    xi = x.AsSpan(i * d, d);
                    u = Dist(xi, centres.AsSpan(a * d, d));
                    l[a] = (float)u;
                    tight = true;
                    if (u <= l[c] || u <= halfGap[a * k + c]) continue;
                }
                double v = Dist(xi, centres.AsSpan(c * d, d));
                l[c] = (float)v;
                if (v < u || (v == u && c < a)) { u = v; a = c; }
            }
            upper[i - row0] = (float)u;
            if (a != labels[i])
            {
                changed(i, labels[i], a);
                labels[i] = a;
            }
        }
    }

    /// <summary>
    /// l[c] ← max(0, l[c] − move[c]) one float step down, so that rounding can only loosen the bound:
    /// the move is rounded up, the difference is taken in float and then decremented by one unit in
    /// the last place. Vectorised over the centres.
    /// </summary>
    private void Shrink(Span<float> l)
    {
        int c = 0, w = Vector<float>.Count;
        for (; c + w <= k; c += w)
        {
            var v = Vector.Max(Vector<float>.Zero, new Vector<float>(l[c..]) - new Vector<float>(moveUp.AsSpan(c)));
            var down = Vector.AsVectorSingle(Vector.AsVectorInt32(v) - Vector<int>.One);
            Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<float>.Zero), down, v).CopyTo(l[c..]);
        }
        for (; c < k; c++)
        {
            float v = Math.Max(0f, l[c] - moveUp[c]);
            l[c] = v > 0 ? MathF.BitDecrement(v) : 0f;
        }
    }

    /// <summary>Labels and squared distances of points [s, e); <paramref name="labels"/> hold the last step's labels on entry (ignored on the first step).</summary>
    public void Assign(int s, int e, float[] centres, int[] labels, float[] dist)
    {
        bool first = double.IsPositiveInfinity(move[0]);
        if (first && Kernel is { } packed && AssignKernel.Wide)
        {
            // Every distance of the first step from the 512-bit kernel, eight points at a time; the
            // bounds are widened by the expansion's float error so they stay bounds.
            int end = s + (e - s) / 8 * 8;
            Span<float> sq = 8 * k <= 4096 ? stackalloc float[8 * k] : new float[8 * k];
            for (int i = s; i < end; i += 8)
            {
                AssignKernel.Distances512(x, XNorm!, i, i + 8, packed, sq);
                for (int q = 0; q < 8; q++)
                {
                    var row = sq.Slice(q * k, k);
                    var l = lower.AsSpan((i + q - row0) * k, k);
                    double slack = 1e-5 * (XNorm![i + q] + packed.MaxNorm);
                    int a = 0;
                    for (int c = 0; c < k; c++)
                    {
                        if (row[c] < row[a]) a = c;
                        l[c] = MathF.BitDecrement((float)Math.Sqrt(Math.Max(0, row[c] - slack)));
                    }
                    labels[i + q] = a;
                    upper[i + q - row0] = MathF.BitIncrement((float)Math.Sqrt(row[a] + slack));
                    dist[i + q] = row[a];
                }
            }
            s = end;
        }
        for (int i = s; i < e; i++)
        {
            var xi = x.AsSpan(i * d, d);
            var l = lower.AsSpan((i - row0) * k, k);
            int a;
            double u;
            if (first)
            {
                a = 0; u = double.PositiveInfinity;
                for (int c = 0; c < k; c++)
                {
                    double v = Dist(xi, centres.AsSpan(c * d, d));
                    l[c] = (float)v;
                    if (v < u) { u = v; a = c; }
                }
            }
            else
            {
                // Bounds shrink by each centre's move (rounded down, so they stay lower bounds in float).
                for (int c = 0; c < k; c++) l[c] = MathF.BitDecrement((float)Math.Max(0, l[c] - move[c]));
                a = labels[i];
                u = Dist(xi, centres.AsSpan(a * d, d));
                l[a] = (float)u;
                for (int c = 0; c < k; c++)
                {
                    if (c == a || u <= l[c] || u <= halfGap[a * k + c]) continue;
                    double v = Dist(xi, centres.AsSpan(c * d, d));
                    l[c] = (float)v;
                    if (v < u || (v == u && c < a)) { u = v; a = c; }
                }
            }
            labels[i] = a;
            upper[i - row0] = (float)u;
            dist[i] = (float)(u * u);
        }
    }

    /// <summary>Euclidean distance; four independent accumulators so the fused multiply-adds do not wait on each other.</summary>
    private static double Dist(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int j = 0, w = Vector<float>.Count;
        Vector<float> a0 = Vector<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
        for (; j + 4 * w <= a.Length; j += 4 * w)
        {
            var t0 = new Vector<float>(a.Slice(j)) - new Vector<float>(b.Slice(j));
            var t1 = new Vector<float>(a.Slice(j + w)) - new Vector<float>(b.Slice(j + w));
            var t2 = new Vector<float>(a.Slice(j + 2 * w)) - new Vector<float>(b.Slice(j + 2 * w));
            var t3 = new Vector<float>(a.Slice(j + 3 * w)) - new Vector<float>(b.Slice(j + 3 * w));
            a0 = Vector.FusedMultiplyAdd(t0, t0, a0);
            a1 = Vector.FusedMultiplyAdd(t1, t1, a1);
            a2 = Vector.FusedMultiplyAdd(t2, t2, a2);
            a3 = Vector.FusedMultiplyAdd(t3, t3, a3);
        }
        for (; j + w <= a.Length; j += w)
        {
            var t = new Vector<float>(a.Slice(j)) - new Vector<float>(b.Slice(j));
            a0 = Vector.FusedMultiplyAdd(t, t, a0);
        }
        double s = Vector.Sum((a0 + a1) + (a2 + a3));
        for (; j < a.Length; j++) { double t = (double)a[j] - b[j]; s += t * t; }
        return Math.Sqrt(s);
    }
}
