using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HpcLearn.Tasks.Clustering;

/// <summary>
/// The k-means assignment kernel: for each point of a block, the nearest centre under
/// ‖x‖² − 2x·c + ‖c‖², four points against 2W centres at a time with fused multiply-adds over
/// <see cref="Vector{T}"/>, or, where the processor has 512-bit vectors (AVX-512), eight points
/// against 16 centres at a time over <see cref="Vector512{T}"/>: half the multiply-adds per point.
/// Both evaluate the same fused multiply-adds in the same order, so they give the same bits.
/// Ties go to the lowest centre index, so the result is deterministic.
/// </summary>
internal static class AssignKernel
{
    /// <summary>Labels and squared distances (clamped at 0) of points [i0, i1).</summary>
    public static void Assign(float[] data, float[] xNorm, int i0, int i1, PackedCentres p, Span<int> labels, Span<float> dist)
    {
        if (Wide)
        {
            int end = i0 + (i1 - i0) / 8 * 8;
            Assign512(data, xNorm, i0, end, p, labels, dist);
            if (end == i1) return;
            AssignVector(data, xNorm, end, i1, p, labels[(end - i0)..], dist[(end - i0)..]);
            return;
        }
        AssignVector(data, xNorm, i0, i1, p, labels, dist);
    }

    /// <summary>Whether the 512-bit kernel runs (where the processor has it; tests switch it off to check the other).</summary>
    internal static bool Wide { get; set; } = Vector512.IsHardwareAccelerated;

    /// <summary>Points [i0, i1) (a multiple of 8) against 16 centres per 512-bit vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Assign512(float[] data, float[] xNorm, int i0, int i1, PackedCentres p, Span<int> labels, Span<float> dist)
    {
        int d = p.D, kp = p.KPad;
        ref float t = ref MemoryMarshal.GetArrayDataReference(p.T);
        ref float nrm = ref MemoryMarshal.GetArrayDataReference(p.Norm);
        ref float x = ref MemoryMarshal.GetArrayDataReference(data);
        var lane = Vector512<float>.Indices;
        for (int i = i0; i < i1; i += 8)
        {
            var b0 = Vector512.Create(float.MaxValue); var b1 = b0; var b2 = b0; var b3 = b0; var b4 = b0; var b5 = b0; var b6 = b0; var b7 = b0;
            var j0 = Vector512<float>.Zero; var j1 = j0; var j2 = j0; var j3 = j0; var j4 = j0; var j5 = j0; var j6 = j0; var j7 = j0;
            nuint r0 = (nuint)((long)i * d);
            for (int v = 0; v < kp; v += 16)
            {
                Block8(ref Unsafe.Add(ref x, r0), d, ref t, kp, v, Vector512.LoadUnsafe(ref nrm, (nuint)v),
                    out var a0, out var a1, out var a2, out var a3, out var a4, out var a5, out var a6, out var a7);
                var idx = lane + Vector512.Create((float)v);
                Keep(ref b0, ref j0, a0, idx); Keep(ref b1, ref j1, a1, idx); Keep(ref b2, ref j2, a2, idx); Keep(ref b3, ref j3, a3, idx);
                Keep(ref b4, ref j4, a4, idx); Keep(ref b5, ref j5, a5, idx); Keep(ref b6, ref j6, a6, idx); Keep(ref b7, ref j7, a7, idx);
            }
            Finish(b0, j0, xNorm[i], out labels[i - i0], out dist[i - i0]);
            Finish(b1, j1, xNorm[i + 1], out labels[i + 1 - i0], out dist[i + 1 - i0]);
            Finish(b2, j2, xNorm[i + 2], out labels[i + 2 - i0], out dist[i + 2 - i0]);
            Finish(b3, j3, xNorm[i + 3], out labels[i + 3 - i0], out dist[i + 3 - i0]);
            Finish(b4, j4, xNorm[i + 4], out labels[i + 4 - i0], out dist[i + 4 - i0]);
            Finish(b5, j5, xNorm[i + 5], out labels[i + 5 - i0], out dist[i + 5 - i0]);
            Finish(b6, j6, xNorm[i + 6], out labels[i + 6 - i0], out dist[i + 6 - i0]);
            Finish(b7, j7, xNorm[i + 7], out labels[i + 7 - i0], out dist[i + 7 - i0]);
        }
    }

    /// <summary>
    /// ‖c‖² − 2x·c for the 8 rows starting at <paramref name="row"/> (row length <paramref name="d"/>)
    /// against the 16 centres from lane <paramref name="v"/>: per coordinate one load of the centres and
    /// eight fused multiply-adds with the rows' coordinates broadcast from memory.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block8(ref float row, int d, ref float t, int kp, int v, Vector512<float> norm,
        out Vector512<float> a0, out Vector512<float> a1, out Vector512<float> a2, out Vector512<float> a3,
        out Vector512<float> a4, out Vector512<float> a5, out Vector512<float> a6, out Vector512<float> a7)
    {
        a0 = a1 = a2 = a3 = a4 = a5 = a6 = a7 = norm;
        nuint dd = (nuint)d;
        for (int j = 0; j < d; j++)
        {
            var c = Vector512.LoadUnsafe(ref t, (nuint)(j * kp + v));
            ref float xj = ref Unsafe.Add(ref row, j);
            a0 = Vector512.FusedMultiplyAdd(Vector512.Create(xj), c, a0);
            a1 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref xj, dd)), c, a1);
            a2 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref xj, 2 * dd)), c, a2);
            a3 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref xj, 3 * dd)), c, a3);
            a4 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref xj, 4 * dd)), c, a4);
            a5 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref xj, 5 * dd)), c, a5);
            a6 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref xj, 6 * dd)), c, a6);
            a7 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref xj, 7 * dd)), c, a7);
        }
    }

    /// <summary>
    /// Squared distances ‖x‖² − 2x·c + ‖c‖² (clamped at 0, float) of points [i0, i1) (a multiple of 8)
    /// to all K centres, written row by row into <paramref name="sq"/> ((i1 − i0) × K): the same
    /// multiply-adds as <see cref="Assign512"/>, every lane kept. For Elkan's first step, which needs
    /// every distance.
    /// </summary>
    public static void Distances512(float[] data, float[] xNorm, int i0, int i1, PackedCentres p, Span<float> sq)
    {
        int d = p.D, kp = p.KPad, k = p.K;
        ref float t = ref MemoryMarshal.GetArrayDataReference(p.T);
        ref float nrm = ref MemoryMarshal.GetArrayDataReference(p.Norm);
        ref float x = ref MemoryMarshal.GetArrayDataReference(data);
        Span<float> lanes = stackalloc float[8 * 16];
        for (int i = i0; i < i1; i += 8)
        {
            nuint r0 = (nuint)((long)i * d);
            for (int v = 0; v < kp; v += 16)
            {
                Block8(ref Unsafe.Add(ref x, r0), d, ref t, kp, v, Vector512.LoadUnsafe(ref nrm, (nuint)v),
                    out var a0, out var a1, out var a2, out var a3, out var a4, out var a5, out var a6, out var a7);
                a0.CopyTo(lanes); a1.CopyTo(lanes[16..]); a2.CopyTo(lanes[32..]); a3.CopyTo(lanes[48..]);
                a4.CopyTo(lanes[64..]); a5.CopyTo(lanes[80..]); a6.CopyTo(lanes[96..]); a7.CopyTo(lanes[112..]);
                int m = Math.Min(16, k - v);
                for (int q = 0; q < 8; q++)
                    for (int c = 0; c < m; c++)
                        sq[(i - i0 + q) * k + v + c] = Math.Max(0f, xNorm[i + q] + lanes[q * 16 + c]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Keep(ref Vector512<float> best, ref Vector512<float> bestIdx, Vector512<float> a, Vector512<float> idx)
    {
        var lt = Vector512.LessThan(a, best);
        best = Vector512.ConditionalSelect(lt, a, best);
        bestIdx = Vector512.ConditionalSelect(lt, idx, bestIdx);
    }

    /// <summary>
    /// The smallest lane, the lowest centre index among equals: the minimum by halving (16 → 8 → 4 → 2 → 1
    /// lanes, <c>vminps</c>), then the lanes equal to it as a bit mask. With one equal lane (almost
    /// always) its index is the answer without a branch on the values; ties take the smallest index.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish(Vector512<float> best, Vector512<float> idx, float xNorm, out int label, out float dist)
    {
        var m8 = Vector256.MinNative(best.GetLower(), best.GetUpper());
        var m4 = Vector128.MinNative(m8.GetLower(), m8.GetUpper());
        var m2 = Vector128.MinNative(m4, Vector128.Shuffle(m4, Vector128.Create(2, 3, 0, 1)));
        float b = Vector128.MinNative(m2, Vector128.Shuffle(m2, Vector128.Create(1, 0, 3, 2))).ToScalar();
        ulong mask = Vector512.Equals(best, Vector512.Create(b)).ExtractMostSignificantBits();
        if (BitOperations.PopCount(mask) == 1) label = (int)idx.GetElement(BitOperations.TrailingZeroCount(mask));
        else
        {
            float bi = float.MaxValue;
            for (; mask != 0; mask &= mask - 1) bi = Math.Min(bi, idx.GetElement(BitOperations.TrailingZeroCount(mask)));
            label = (int)bi;
        }
        dist = Math.Max(0f, xNorm + b);
    }

    /// <summary>Points [i0, i1) over <see cref="Vector{T}"/>: four at a time against 2W centres.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AssignVector(float[] data, float[] xNorm, int i0, int i1, PackedCentres p, Span<int> labels, Span<float> dist)
    {
        int d = p.D, kp = p.KPad, w = Vector<float>.Count;
        ref float t = ref MemoryMarshal.GetArrayDataReference(p.T);
        ref float nrm = ref MemoryMarshal.GetArrayDataReference(p.Norm);
        ref float x = ref MemoryMarshal.GetArrayDataReference(data);
        Vector<float> lane = Vector<float>.Indices;
        int i = i0;
        for (; i + 4 <= i1; i += 4)
        {
            var b0 = new Vector<float>(float.MaxValue); var b1 = b0; var b2 = b0; var b3 = b0;
            var j0 = Vector<float>.Zero; var j1 = j0; var j2 = j0; var j3 = j0;
            nuint r0 = (nuint)((long)i * d), r1 = r0 + (nuint)d, r2 = r1 + (nuint)d, r3 = r2 + (nuint)d;
            for (int v = 0; v < kp; v += 2 * w)
            {
                var n0 = Vector.LoadUnsafe(ref nrm, (nuint)v);
                var n1 = Vector.LoadUnsafe(ref nrm, (nuint)(v + w));
                Vector<float> a00 = n0, a01 = n1, a10 = n0, a11 = n1, a20 = n0, a21 = n1, a30 = n0, a31 = n1;
                for (int j = 0; j < d; j++)
                {
                    nuint o = (nuint)(j * kp + v);
                    var c0 = Vector.LoadUnsafe(ref t, o);
                    var c1 = Vector.LoadUnsafe(ref t, o + (nuint)w);
                    var x0 = new Vector<float>(Unsafe.Add(ref x, r0 + (nuint)j));
                    var x1 = new Vector<float>(Unsafe.Add(ref x, r1 + (nuint)j));
                    var x2 = new Vector<float>(Unsafe.Add(ref x, r2 + (nuint)j));
                    var x3 = new Vector<float>(Unsafe.Add(ref x, r3 + (nuint)j));
                    a00 = Vector.FusedMultiplyAdd(x0, c0, a00); a01 = Vector.FusedMultiplyAdd(x0, c1, a01);
                    a10 = Vector.FusedMultiplyAdd(x1, c0, a10); a11 = Vector.FusedMultiplyAdd(x1, c1, a11);
                    a20 = Vector.FusedMultiplyAdd(x2, c0, a20); a21 = Vector.FusedMultiplyAdd(x2, c1, a21);
                    a30 = Vector.FusedMultiplyAdd(x3, c0, a30); a31 = Vector.FusedMultiplyAdd(x3, c1, a31);
                }
                var i0v = lane + new Vector<float>(v); var i1v = i0v + new Vector<float>(w);
                Keep(ref b0, ref j0, a00, i0v); Keep(ref b0, ref j0, a01, i1v);
                Keep(ref b1, ref j1, a10, i0v); Keep(ref b1, ref j1, a11, i1v);
                Keep(ref b2, ref j2, a20, i0v); Keep(ref b2, ref j2, a21, i1v);
                Keep(ref b3, ref j3, a30, i0v); Keep(ref b3, ref j3, a31, i1v);
            }
            Finish(b0, j0, xNorm[i], out labels[i - i0], out dist[i - i0]);
            Finish(b1, j1, xNorm[i + 1], out labels[i + 1 - i0], out dist[i + 1 - i0]);
            Finish(b2, j2, xNorm[i + 2], out labels[i + 2 - i0], out dist[i + 2 - i0]);
            Finish(b3, j3, xNorm[i + 3], out labels[i + 3 - i0], out dist[i + 3 - i0]);
        }
        for (; i < i1; i++)
        {
            var b = new Vector<float>(float.MaxValue); var bj = Vector<float>.Zero;
            nuint r = (nuint)((long)i * d);
            for (int v = 0; v < kp; v += w)
            {
                var a = Vector.LoadUnsafe(ref nrm, (nuint)v);
                for (int j = 0; j < d; j++)
                    a = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref x, r + (nuint)j)), Vector.LoadUnsafe(ref t, (nuint)(j * kp + v)), a);
                Keep(ref b, ref bj, a, lane + new Vector<float>(v));
            }
            Finish(b, bj, xNorm[i], out labels[i - i0], out dist[i - i0]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Keep(ref Vector<float> best, ref Vector<float> bestIdx, Vector<float> a, Vector<float> idx)
    {
        var lt = Vector.LessThan(a, best);
        best = Vector.ConditionalSelect(lt, a, best);
        bestIdx = Vector.ConditionalSelect(lt, idx, bestIdx);
    }

    private static void Finish(Vector<float> best, Vector<float> idx, float xNorm, out int label, out float dist)
    {
        float b = best[0], bi = idx[0];
        for (int l = 1; l < Vector<float>.Count; l++)
            if (best[l] < b || (best[l] == b && idx[l] < bi)) { b = best[l]; bi = idx[l]; }
        label = (int)bi;
        dist = Math.Max(0f, xNorm + b);
    }
}
