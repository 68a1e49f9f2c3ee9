using HpcLearn.Data.Audio;
using Xunit;
using static TorchSharp.torch;

namespace HpcLearn.Tests.Data.Audio;

public sealed class LogMelSpectrogramTests
{
    private static readonly AudioOptions Options = new();

    private static float[] Sine(double hz, int n) =>
        Enumerable.Range(0, n).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * hz * i / 16000))).ToArray();

    /// <summary>Centre frequency of mel band m: point m+1 of the n_mels+2 points equally spaced in mels.</summary>
    private static double Centre(int m, MelScale scale) =>
        MelFilterbank.MelToHz(MelFilterbank.HzToMel(8000, scale) * (m + 1) / 65.0, scale);

    [Theory]
    [InlineData(12, MelScale.Htk)]
    [InlineData(30, MelScale.Htk)]
    [InlineData(55, MelScale.Htk)]
    [InlineData(20, MelScale.Slaney)]
    [InlineData(45, MelScale.Slaney)]
    public void A_sine_peaks_in_the_band_centred_on_its_frequency(int band, MelScale scale)
    {
        using var logMel = new LogMelSpectrogram(Options with { MelScale = scale });
        using var spec = logMel.Compute([Sine(Centre(band, scale), 16000)]);   // (1, 64, 101)

        Assert.Equal(new long[] { 1, 64, 101 }, spec.shape);
        using var perBand = spec[0].mean([1]);
        Assert.Equal(band, perBand.argmax().item<long>());
    }

    [Fact]
    public void Silence_gives_the_floor_everywhere()
    {
        using var logMel = new LogMelSpectrogram(Options);
        using var spec = logMel.Compute([new float[16000], new float[16000]]);

        Assert.Equal(new long[] { 2, 64, 101 }, spec.shape);
        Assert.Equal(Math.Log(1e-6), spec.min().item<float>(), 4);
        Assert.Equal(Math.Log(1e-6), spec.max().item<float>(), 4);
    }

    [Fact]
    public void Power_matches_parseval_for_a_sine_in_the_middle_frames()
    {
        // Parseval: a Hann-windowed sine of amplitude A has sum over all N bins of |X_k|^2 = N · A^2/2 · sum(w^2),
        // half of it in the positive-frequency bins. Between the first and last centre the triangular
        // filters sum to 1 at every frequency, so the mel bands together hold that power.
        using var logMel = new LogMelSpectrogram(Options);
        using var spec = logMel.Compute([Sine(Centre(30, MelScale.Htk), 16000)]);
        using var mel = spec[0, .., 50].exp();
        double total = mel.sum().item<float>();
        double sumW2 = Enumerable.Range(0, 512).Sum(i => Math.Pow(0.5 - 0.5 * Math.Cos(2 * Math.PI * i / 512), 2));
        double expected = 512 * 0.5 * 0.5 / 4 * sumW2;
        Assert.InRange(total / expected, 0.9, 1.1);
    }

    [Fact]
    public void A_single_waveform_gives_the_same_spectrogram_as_in_a_batch()
    {
        using var logMel = new LogMelSpectrogram(Options);
        var a = Sine(700, 16000);
        var b = Sine(2500, 16000);
        using var batch = logMel.Compute([a, b]);
        using var one = logMel.Compute(tensor(b));

        Assert.Equal(new long[] { 64, 101 }, one.shape);
        Assert.True(one.allclose(batch[1], rtol: 1e-5, atol: 1e-4));
    }

    [Fact]
    public void Clips_of_the_wrong_length_are_refused()
    {
        using var logMel = new LogMelSpectrogram(Options);
        Assert.Throws<ArgumentException>(() => logMel.Compute([new float[100]]));
    }
}
