using System.Numerics;
using TorchSharp;

namespace HpcLearn.Tasks.Cluster;

/// <summary>
/// One k-means run from given centres: Lloyd iterations as scikit-learn's <c>_kmeans_single_lloyd</c>
/// (assign, update, stop on unchanged labels or on a summed squared centre shift at most the
/// tolerance, then a last assignment to the final centres). Per-block partial sums in double,
/// merged in block order; empty clusters take the points farthest from their centres.
/// </summary>
internal sealed class LloydRun : IDisposable
{
    private readonly torch.Tensor? xt; // (n, d) copy of the points for the GEMM kernel
    private float[] dots = [];         // (n, k) x·c from the GEMM kernel
    private readonly ElkanBounds? bounds;
    private readonly float[] x;
    private readonly int n, d, k, threads;
    private readonly PointBlocks blocks;
    private readonly float[] xNorm;
    private readonly double[][] sums;
    private readonly int[][] counts;
    private readonly double[] inertia;

    public LloydRun(float[] x, int n, int d, int k, int threads, bool gemm = false, bool elkan = false)
    {
        if (gemm) xt = torch.tensor(x, [n, d]);
        if (elkan) bounds = new ElkanBounds(x, n, d, k);
        this.x = x; this.n = n; this.d = d; this.k = k; this.threads = threads;
        blocks = PointBlocks.For(n);
        xNorm = new float[n];
        blocks.ForEach(threads, (_, s, e) =>
        {
            for (int i = s; i < e; i++) xNorm[i] = Dot(x.AsSpan(i * d, d));
        });
        sums = new double[blocks.Count][];
        counts = new int[blocks.Count][];
        for (int b = 0; b < blocks.Count; b++) { sums[b] = new double[k * d]; counts[b] = new int[k]; }
        inertia = new double[blocks.Count];
    }

    public KMeansResult Run(float[] start, int maxIter, double tol, int nInitRun)
    {
        var centres = (float[])start.Clone();
        var labels = new int[n];
        var old = new int[n];
        bounds?.Reset();
        var dist = new float[n];
        var history = new List<double>();
        bool strict = false;
        int it = 0;
        var total = new double[k * d];
        var count = new long[k];
        while (it < maxIter)
        {
            it++;
            history.Add(Step(centres, labels, dist, update: true));
            Array.Clear(total); Array.Clear(count);
            for (int b = 0; b < blocks.Count; b++)
            {
                for (int t = 0; t < k * d; t++) total[t] += sums[b][t];
                for (int c = 0; c < k; c++) count[c] += counts[b][c];
            }
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
            if (it > 1 && labels.AsSpan().SequenceEqual(old)) { strict = true; break; }
            if (shift <= tol) break;
            if (bounds is null) (labels, old) = (old, labels);
            else Array.Copy(labels, old, n); // the bounds need the last labels in place
        }
        if (!strict) Step(centres, labels, dist, update: false);
        return new KMeansResult(centres, labels, ExactInertia(centres, labels), it, nInitRun, history.ToArray());
    }

    /// <summary>Assigns every point; with <paramref name="update"/>, fills the per-block sums and counts. Returns the inertia of the assignment.</summary>
    private double Step(float[] centres, int[] labels, float[] dist, bool update)
    {
        var packed = new PackedCentres(centres, k, d);
        bounds?.Prepare(centres);
        if (xt is not null)
        {
            using var scope = torch.NewDisposeScope();
            var c = torch.tensor(centres, [k, d]);
            var m = torch.mm(xt, c.t()); // (n, k)
            if (dots.Length != n * k) dots = new float[n * k];
            System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(m.bytes).CopyTo(dots);
        }
        blocks.ForEach(threads, (b, s, e) =>
        {
            if (bounds is not null) bounds.Assign(s, e, centres, labels, dist);
            else if (xt is null) AssignKernel.Assign(x, xNorm, s, e, packed, labels.AsSpan(s, e - s), dist.AsSpan(s, e - s));
            else GemmAssign(s, e, packed.Norm, labels, dist);
            double acc = 0;
            for (int i = s; i < e; i++) acc += dist[i];
            inertia[b] = acc;
            if (!update) return;
            var sm = sums[b]; var ct = counts[b];
            Array.Clear(sm); Array.Clear(ct);
            for (int i = s; i < e; i++)
            {
                int c = labels[i];
                ct[c]++;
                AddRow(x.AsSpan(i * d, d), sm.AsSpan(c * d, d));
            }
        });
        double tot = 0;
        foreach (double v in inertia) tot += v;
        return tot;
    }

    /// <summary>Each empty cluster takes one of the points farthest from their centre (largest first), as scikit-learn.</summary>
    private void Relocate(int[] labels, float[] dist, double[] total, long[] count)
    {
        int empty = 0;
        for (int c = 0; c < k; c++) if (count[c] == 0) empty++;
        if (empty == 0) return;
        var taken = new HashSet<int>();
        for (int c = 0; c < k; c++)
        {
            if (count[c] != 0) continue;
            int far = -1;
            for (int i = 0; i < n; i++)
                if (!taken.Contains(i) && (far < 0 || dist[i] > dist[far])) far = i;
            taken.Add(far);
            int from = labels[far];
            for (int j = 0; j < d; j++) { total[from * d + j] -= x[far * d + j]; total[c * d + j] = x[far * d + j]; }
            count[from]--; count[c] = 1;
        }
    }

    /// <summary>Nearest centre of points [s, e) from the GEMM products: ‖x‖² − 2x·c + ‖c‖², ties to the lowest index.</summary>
    private void GemmAssign(int s, int e, float[] cNorm, int[] labels, float[] dist)
    {
        for (int i = s; i < e; i++)
        {
            int best = 0;
            float bd = float.MaxValue;
            for (int c = 0; c < k; c++)
            {
                float v = cNorm[c] - 2 * dots[(long)i * k + c];
                if (v < bd) { bd = v; best = c; }
            }
            labels[i] = best;
            dist[i] = Math.Max(0f, xNorm[i] + bd);
        }
    }

    public void Dispose() => xt?.Dispose();

    private double ExactInertia(float[] centres, int[] labels)
    {
        blocks.ForEach(threads, (b, s, e) =>
        {
            double acc = 0;
            for (int i = s; i < e; i++) acc += KMeansPlusPlus.SqDist(x, i, centres, labels[i], d);
            inertia[b] = acc;
        });
        double tot = 0;
        foreach (double v in inertia) tot += v;
        return tot;
    }

    private static float Dot(ReadOnlySpan<float> a)
    {
        double s = 0;
        foreach (float v in a) s += (double)v * v;
        return (float)s;
    }

    private static void AddRow(ReadOnlySpan<float> row, Span<double> acc)
    {
        int j = 0, w = Vector<float>.Count;
        for (; j + w <= row.Length; j += w)
        {
            Vector.Widen(new Vector<float>(row.Slice(j)), out Vector<double> lo, out Vector<double> hi);
            var half = Vector<double>.Count;
            (new Vector<double>(acc.Slice(j)) + lo).CopyTo(acc.Slice(j));
            (new Vector<double>(acc.Slice(j + half)) + hi).CopyTo(acc.Slice(j + half));
        }
        for (; j < row.Length; j++) acc[j] += row[j];
    }
}
