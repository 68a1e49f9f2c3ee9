using HpcLearn.Data.Audio;
using Xunit;

namespace HpcLearn.Tests.Data.Audio;

/// <summary>
/// Expected values computed independently with NumPy 1.24 (Debian python3-numpy), from
/// torchaudio's documented formula for <c>melscale_fbanks(norm=None)</c>: linspace of n_fft/2+1
/// frequencies from 0 to sr/2, n_mels+2 points equally spaced in mels, min of the rising and
/// falling slopes, clipped at 0. Case: n_fft 512, 16 kHz, 64 mels, 0–8000 Hz.
/// </summary>
public sealed class MelFilterbankTests
{
    private const int NFreqs = 257;

    private static void AssertRow(float[] fb, int m, int firstBin, double[] values)
    {
        for (int k = 0; k < NFreqs; k++)
        {
            double expected = k >= firstBin && k < firstBin + values.Length ? values[k - firstBin] : 0;
            Assert.True(Math.Abs(fb[m * NFreqs + k] - expected) < 2e-6, $"filter {m}, bin {k}: {fb[m * NFreqs + k]} vs {expected}");
        }
    }

    private static double RowSum(float[] fb, int m) => fb.Skip(m * NFreqs).Take(NFreqs).Sum(v => (double)v);

    [Fact]
    public void Htk_filters_match_the_numpy_reference()
    {
        var fb = MelFilterbank.Create(512, 16000, 64, 0, 8000, MelScale.Htk);

        Assert.Equal(64 * NFreqs, fb.Length);
        AssertRow(fb, 0, 1, [0.8755919]);
        AssertRow(fb, 10, 11, [0.300347, 0.9358059, 0.1985648]);
        AssertRow(fb, 40, 84, [0.187296, 0.4268092, 0.6663223, 0.9058354, 0.8601786, 0.6297735, 0.3993684, 0.1689633]);
        Assert.Equal(10.37082, RowSum(fb, 63), 4);
    }

    [Fact]
    public void Slaney_filters_match_the_numpy_reference()
    {
        var fb = MelFilterbank.Create(512, 16000, 64, 0, 8000, MelScale.Slaney);

        AssertRow(fb, 0, 1, [0.6734074, 0.6531852]);
        AssertRow(fb, 10, 15, [0.1011113, 0.7745187, 0.5520739]);
        AssertRow(fb, 40, 78, [0.1630579, 0.4266802, 0.6903026, 0.9539249, 0.7926188, 0.5413155, 0.2900123, 0.03870906]);
        Assert.Equal(11.69052, RowSum(fb, 63), 4);
    }

    [Fact]
    public void Other_sizes_and_edges_match_the_numpy_reference()
    {
        // n_fft 400, 22.05 kHz, 40 mels, 300–9000 Hz, HTK: filter 5.
        var fb = MelFilterbank.Create(400, 22050, 40, 300, 9000, MelScale.Htk);
        double[] expected = [0.5615777, 0.7210335, 0.02728023];
        for (int k = 0; k < 201; k++)
            Assert.Equal(k is >= 12 and <= 14 ? expected[k - 12] : 0, fb[5 * 201 + k], 5);
    }

    [Theory]
    [InlineData(MelScale.Htk)]
    [InlineData(MelScale.Slaney)]
    public void Mel_conversions_invert_each_other_and_follow_the_formulas(MelScale scale)
    {
        foreach (double hz in new[] { 0.0, 200, 999, 1000, 1001, 4000, 8000, 22050 })
            Assert.Equal(hz, MelFilterbank.MelToHz(MelFilterbank.HzToMel(hz, scale), scale), 6);
        Assert.Equal(scale == MelScale.Htk ? 2595 * Math.Log10(1 + 1000 / 700.0) : 15, MelFilterbank.HzToMel(1000, scale), 9);
    }
}
