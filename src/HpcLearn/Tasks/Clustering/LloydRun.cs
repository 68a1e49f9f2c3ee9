using System.Numerics;
using System.Runtime.Intrinsics;
using TorchSharp;

namespace HpcLearn.Tasks.Clustering;

/// <summary>
/// One k-means run from given centres: Lloyd iterations as scikit-learn's <c>_kmeans_single_lloyd</c>
/// (assign, update, stop on unchanged labels or on a summed squared centre shift at most the
/// tolerance, then a last assignment to the final centres). Per-block partial sums in double,
/// merged in block order; empty clusters take the points farthest from their centres.
/// </summary>
internal sealed class LloydRun : IDisposable
{
    private readonly torch.Tensor? xt; // (rows, d) copy of this rank's points for the GEMM kernel
    private float[] dots = [];         // (rows, k) x·c from the GEMM kernel
    private readonly ElkanBounds? bounds;
    private readonly float[] x;
    private readonly int n, d, k, threads;
    private readonly PointShard shard;
    private readonly float[] xNorm;
    private readonly double[][] part;  // per block: centre sums (k·d), counts (k), inertia (1)
    private readonly double[] blockNorm; // per block: Σ‖x‖² (for the inertia of an Elkan step from the sums)

    public LloydRun(float[] x, int n, int d, int k, int threads, bool gemm = false, bool elkan = false, PointShard? shard = null)
    {
        this.shard = shard ??= new PointShard(n, null);
        int rows = shard.End - shard.Start;
        if (gemm) xt = torch.tensor(x.AsSpan(shard.Start * d, rows * d).ToArray(), [rows, d]);
        if (elkan) bounds = new ElkanBounds(x, shard.Start, rows, d, k);
        this.x = x; this.n = n; this.d = d; this.k = k; this.threads = threads;
        xNorm = new float[n];
        shard.ForEach(threads, (_, s, e) =>
        {
            for (int i = s; i < e; i++) xNorm[i] = Dot(x.AsSpan(i * d, d));
        });
        part = new double[shard.Blocks.Count][];
        for (int b = 0; b < part.Length; b++) part[b] = new double[k * d + k + 1];
        blockNorm = new double[shard.Blocks.Count];
        shard.ForEach(threads, (b, s, e) =>
        {
            double sum = 0;
            for (int i = s; i < e; i++) sum += xNorm[i];
            blockNorm[b] = sum;
        });
    }

    /// <summary>One run from <paramref name="start"/>; the labels of the result are this rank's rows only (<see cref="PointShard.GatherLabels"/> fills the rest).</summary>
    /// <param name="start">The starting centres, k × d.</param>
    /// <param name="maxIter">Most iterations.</param>
    /// <param name="tol">Stop when the summed squared centre shift is at most this.</param>
    /// <param name="nInitRun">Restarts made, for the result.</param>
    /// <param name="stop">Asked after each iteration, on every rank (null: never stop early).</param>
    public KMeansResult Run(float[] start, int maxIter, double tol, int nInitRun, Func<bool>? stop = null)
    {
        var centres = (float[])start.Clone();
        var labels = new int[n];
        var old = new int[n];
        bounds?.Reset();
        var dist = new float[n];
        var history = new List<double>();
        bool strict = false, stopped = false;
        int it = 0, s0 = shard.Start, rows = shard.End - shard.Start;
        while (it < maxIter)
        {
            it++;
            var merged = Step(centres, labels, dist, update: true);
            history.Add(merged[^1]);
            var total = merged.AsSpan(0, k * d);
            var count = merged.AsSpan(k * d, k);
            Relocate(labels, dist, total, count);
            double shift = 0;
            for (int c = 0; c < k; c++)
            {
                if (count[c] == 0) continue;
                for (int j = 0; j < d; j++)
                {
                    float v = (float)(total[c * d + j] / count[c]);
                    double s = (double)v - centres[c * d + j];
                    shift += s * s;
                    centres[c * d + j] = v;
                }
            }
            if (it > 1 && !shard.Any(!labels.AsSpan(s0, rows).SequenceEqual(old.AsSpan(s0, rows)))) { strict = true; break; }
            if (shift <= tol) break;
            if (stop is not null && it < maxIter && shard.Any(stop())) { stopped = true; break; }
            if (bounds is null) (labels, old) = (old, labels);
            else Array.Copy(labels, s0, old, s0, rows); // the bounds need the last labels in place
        }
        if (!strict && bounds is not null)
        {
            // The last assignment to the final centres by the bounds alone; the inertia is computed exactly below.
            bounds.Prepare(centres);
            shard.ForEach(threads, (_, s, e) => bounds.AssignLazy(s, e, centres, labels, (_, _, _) => { }));
        }
        else if (!strict) Step(centres, labels, dist, update: false);
        return new KMeansResult(centres, labels, ExactInertia(centres, labels), it, nInitRun, history.ToArray()) { Stopped = stopped };
    }

    private const int ChunkRows = 32;

    /// <summary>
    /// Assigns this rank's points; returns the centre sums (k·d), counts (k) and inertia (1) over all
    /// ranks, merged in block order. Without <paramref name="update"/> only the inertia (one value) is merged.
    /// </summary>
    private double[] Step(float[] centres, int[] labels, float[] dist, bool update)
    {
        var packed = new PackedCentres(centres, k, d);
        bounds?.Prepare(centres);
        if (bounds is not null) { bounds.Kernel = packed; bounds.XNorm = xNorm; }
        if (xt is not null)
        {
            using var scope = torch.NewDisposeScope();
            var c = torch.tensor(centres, [k, d]);
            var m = torch.mm(xt, c.t()); // (rows, k)
            int rows = shard.End - shard.Start;
            if (dots.Length != rows * k) dots = new float[rows * k];
            System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(m.bytes).CopyTo(dots);
        }
        int kd = k * d;
        if (bounds is { First: false } && update) return LazyStep(centres, labels, dist);
        shard.ForEach(threads, (b, s, e) =>
        {
            if (xt is null && update) { AssignAndSum(b, s, e, centres, packed, labels, dist); return; }
            if (bounds is not null) bounds.Assign(s, e, centres, labels, dist);
            else if (xt is null) AssignKernel.Assign(x, xNorm, s, e, packed, labels.AsSpan(s, e - s), dist.AsSpan(s, e - s));
            else GemmAssign(s, e, packed.Norm, centres, labels, dist);
            var p = part[b];
            p[kd + k] = SumWide(dist.AsSpan(s, e - s));
            if (!update) return;
            Array.Clear(p, 0, kd + k);
            for (int i = s; i < e; i++)
            {
                int c = labels[i];
                p[kd + c]++;
                AddRow(x.AsSpan(i * d, d), p.AsSpan(c * d, d));
            }
        });
        return update ? shard.Sum(kd + k + 1, b => part[b]) : shard.Sum(1, b => part[b].AsSpan(kd + k, 1));
    }

    /// <summary>
    /// Assigns block <paramref name="b"/> (points [s, e)) a few rows at a time and adds each chunk to
    /// the block's centre sums while it is still in the L1/L2 cache: one pass over the data per
    /// iteration instead of two. Compiled fully optimised on first call (no tier-0 code in a short run).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void AssignAndSum(int b, int s, int e, float[] centres, PackedCentres packed, int[] labels, float[] dist)
    {
        int kd = k * d;
        var q = part[b];
        Array.Clear(q, 0, kd + k);
        for (int c0 = s; c0 < e; c0 += ChunkRows)
        {
            int c1 = Math.Min(e, c0 + ChunkRows);
            if (bounds is not null) bounds.Assign(c0, c1, centres, labels, dist);
            else AssignKernel.Assign(x, xNorm, c0, c1, packed, labels.AsSpan(c0, c1 - c0), dist.AsSpan(c0, c1 - c0));
            for (int i = c0; i < c1; i++)
            {
                int c = labels[i];
                q[kd + c]++;
                AddRow(x.AsSpan(i * d, d), q.AsSpan(c * d, d));
            }
        }
        q[kd + k] = SumWide(dist.AsSpan(s, e - s));
    }

    /// <summary>
    /// An Elkan step after the first: only points whose bounds fail are read, and each block's centre
    /// sums and counts (kept from the last step) change by the points that moved. The inertia of the
    /// assignment comes from the sums: Σ‖x‖² − 2Σ c·S_c + Σ n_c‖c‖² per block. The distances of the
    /// points are filled in only when a cluster is empty (its relocation needs them).
    /// </summary>
    private double[] LazyStep(float[] centres, int[] labels, float[] dist)
    {
        int kd = k * d;
        shard.ForEach(threads, (b, s, e) =>
        {
            var q = part[b];
            bounds!.AssignLazy(s, e, centres, labels, (i, from, to) =>
            {
                q[kd + from]--;
                q[kd + to]++;
                AddRow(x.AsSpan(i * d, d), q.AsSpan(from * d, d), subtract: true);
                AddRow(x.AsSpan(i * d, d), q.AsSpan(to * d, d));
            });
            double inertia = blockNorm[b];
            for (int c = 0; c < k; c++)
            {
                double dot = 0, cc = 0;
                for (int j = 0; j < d; j++) { double v = centres[c * d + j]; dot += v * q[c * d + j]; cc += v * v; }
                inertia += q[kd + c] * cc - 2 * dot;
            }
            q[kd + k] = Math.Max(0, inertia);
        });
        var merged = shard.Sum(kd + k + 1, b => part[b]);
        for (int c = 0; c < k; c++)
            if (merged[kd + c] == 0)
            {
                shard.ForEach(threads, (_, s, e) => { for (int i = s; i < e; i++) dist[i] = (float)SqDist(x.AsSpan(i * d, d), centres.AsSpan(labels[i] * d, d)); });
                break;
            }
        return merged;
    }

    /// <summary>
    /// Each empty cluster takes one of the points farthest from their centre (largest first, the lowest
    /// index among equals), as scikit-learn. Over ranks: the largest distance, then the lowest index
    /// holding it, then that point's label, each an all-reduce of one value.
    /// </summary>
    private void Relocate(int[] labels, float[] dist, Span<double> total, Span<double> count)
    {
        int empty = 0;
        for (int c = 0; c < k; c++) if (count[c] == 0) empty++;
        if (empty == 0) return;
        var taken = new HashSet<int>();
        Span<double> v = stackalloc double[1];
        for (int c = 0; c < k; c++)
        {
            if (count[c] != 0) continue;
            int far = -1;
            for (int i = shard.Start; i < shard.End; i++)
                if (!taken.Contains(i) && (far < 0 || dist[i] > dist[far])) far = i;
            v[0] = far < 0 ? double.NegativeInfinity : dist[far];
            shard.AllReduceMax(v);
            double top = v[0];
            v[0] = far >= 0 && dist[far] == top ? -far : double.NegativeInfinity;
            shard.AllReduceMax(v);
            far = (int)-v[0];
            v[0] = far >= shard.Start && far < shard.End ? labels[far] : double.NegativeInfinity;
            shard.AllReduceMax(v);
            int from = (int)v[0];
            taken.Add(far);
            for (int j = 0; j < d; j++) { total[from * d + j] -= x[far * d + j]; total[c * d + j] = x[far * d + j]; }
            count[from]--; count[c] = 1;
        }
    }

    /// <summary>
    /// Nearest centre of points [s, e) from the GEMM products: ‖x‖² − 2x·c + ‖c‖², ties to the lowest index.
    /// The distance to the chosen centre is then computed again, exactly in double: the BLAS's rounding
    /// depends on the CPU, the row count and the buffer's alignment (an AMD Zen 4 gave a different
    /// inertia on every run), so only the choice of centre may depend on it, never the inertia.
    /// </summary>
    private void GemmAssign(int s, int e, float[] cNorm, float[] centres, int[] labels, float[] dist)
    {
        for (int i = s; i < e; i++)
        {
            int best = 0;
            float bd = float.MaxValue;
            long row = (long)(i - shard.Start) * k;
            for (int c = 0; c < k; c++)
            {
                float v = cNorm[c] - 2 * dots[row + c];
                if (v < bd) { bd = v; best = c; }
            }
            labels[i] = best;
            dist[i] = (float)SqDist(x.AsSpan(i * d, d), centres.AsSpan(best * d, d));
        }
    }

    public void Dispose() => xt?.Dispose();

    private double ExactInertia(float[] centres, int[] labels)
    {
        int at = k * d + k;
        shard.ForEach(threads, (b, s, e) =>
        {
            double acc = 0;
            for (int i = s; i < e; i++) acc += SqDist(x.AsSpan(i * d, d), centres.AsSpan(labels[i] * d, d));
            part[b][at] = acc;
        });
        return shard.Sum(1, b => part[b].AsSpan(at, 1))[0];
    }

    /// <summary>‖a − b‖² in double, vectorised (lanes summed at the end).</summary>
    private static double SqDist(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var acc = Vector<double>.Zero;
        int j = 0, w = Vector<float>.Count;
        for (; j + w <= a.Length; j += w)
        {
            Vector.Widen(new Vector<float>(a[j..]), out var al, out var ah);
            Vector.Widen(new Vector<float>(b[j..]), out var bl, out var bh);
            var vl = al - bl;
            var vh = ah - bh;
            acc += vl * vl + vh * vh;
        }
        double s = Vector.Sum(acc);
        for (; j < a.Length; j++) { double v = (double)a[j] - b[j]; s += v * v; }
        return s;
    }

    /// <summary>‖a‖² in double, vectorised, rounded to float.</summary>
    private static float Dot(ReadOnlySpan<float> a)
    {
        var acc = Vector<double>.Zero;
        int j = 0, w = Vector<float>.Count;
        for (; j + w <= a.Length; j += w)
        {
            Vector.Widen(new Vector<float>(a[j..]), out var lo, out var hi);
            acc += lo * lo + hi * hi;
        }
        double s = Vector.Sum(acc);
        for (; j < a.Length; j++) s += (double)a[j] * a[j];
        return (float)s;
    }

    /// <summary>Σ of the values in double, over two vectors of partial sums (a fixed order: the same bits for a given span).</summary>
    private static double SumWide(ReadOnlySpan<float> v)
    {
        Vector<double> a = Vector<double>.Zero, b = a;
        int j = 0, w = Vector<float>.Count;
        for (; j + w <= v.Length; j += w)
        {
            Vector.Widen(new Vector<float>(v[j..]), out var lo, out var hi);
            a += lo; b += hi;
        }
        double s = Vector.Sum(a + b);
        for (; j < v.Length; j++) s += v[j];
        return s;
    }

    /// <summary>acc += row (or −= with <paramref name="subtract"/>), widened to double: 16 floats at a time where the processor has 512-bit vectors.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void AddRow(ReadOnlySpan<float> row, Span<double> acc, bool subtract = false)
    {
        int j = 0, w = Vector<float>.Count;
        if (Vector512.IsHardwareAccelerated)
        {
            ref float r = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(row);
            ref double a = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(acc);
            for (; j + 16 <= row.Length; j += 16)
            {
                var f = Vector512.LoadUnsafe(ref r, (nuint)j);
                var lo = Vector512.WidenLower(f);
                var hi = Vector512.WidenUpper(f);
                if (subtract) { lo = -lo; hi = -hi; }
                (Vector512.LoadUnsafe(ref a, (nuint)j) + lo).StoreUnsafe(ref a, (nuint)j);
                (Vector512.LoadUnsafe(ref a, (nuint)(j + 8)) + hi).StoreUnsafe(ref a, (nuint)(j + 8));
            }
        }
        for (; j + w <= row.Length; j += w)
        {
            Vector.Widen(new Vector<float>(row.Slice(j)), out Vector<double> lo, out Vector<double> hi);
            if (subtract) { lo = -lo; hi = -hi; }
            var half = Vector<double>.Count;
            (new Vector<double>(acc.Slice(j)) + lo).CopyTo(acc.Slice(j));
            (new Vector<double>(acc.Slice(j + half)) + hi).CopyTo(acc.Slice(j + half));
        }
        for (; j < row.Length; j++) acc[j] += subtract ? -row[j] : row[j];
    }
}
