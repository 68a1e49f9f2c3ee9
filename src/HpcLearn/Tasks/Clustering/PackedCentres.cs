using System.Numerics;

namespace HpcLearn.Tasks.Clustering;

/// <summary>
/// Centres laid out for the assignment kernel: transposed and scaled by −2 (d rows of KPad floats,
/// T[j, c] = −2·c_j, exact in floating point) so that one SIMD load gives one coordinate of W
/// consecutive centres and x·T adds −2x·c with the point's coordinate broadcast straight from
/// memory; and their squared norms. KPad is a multiple of 2W (and of 16, one 512-bit vector);
/// padding centres have norm float.MaxValue and are never nearest.
/// </summary>
internal sealed class PackedCentres
{
    public readonly int K, D, KPad;
    public readonly float[] T;
    public readonly float[] Norm;
    /// <summary>The largest squared norm of a real centre.</summary>
    public readonly float MaxNorm;

    public PackedCentres(ReadOnlySpan<float> centres, int k, int d)
    {
        int w2 = Math.Max(2 * Vector<float>.Count, 16);
        K = k; D = d; KPad = (k + w2 - 1) / w2 * w2;
        T = new float[d * KPad];
        Norm = new float[KPad];
        Array.Fill(Norm, float.MaxValue);
        for (int c = 0; c < k; c++)
        {
            double s = 0;
            for (int j = 0; j < d; j++)
            {
                float v = centres[c * d + j];
                T[j * KPad + c] = -2f * v;
                s += (double)v * v;
            }
            Norm[c] = (float)s;
            MaxNorm = Math.Max(MaxNorm, Norm[c]);
        }
    }
}
