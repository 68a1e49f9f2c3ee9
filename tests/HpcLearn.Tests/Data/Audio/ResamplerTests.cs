using HpcLearn.Data.Audio;
using Xunit;
using static TorchSharp.torch;

namespace HpcLearn.Tests.Data.Audio;

public sealed class ResamplerTests
{
    private static float[] Sine(double hz, double amplitude, int rate, int n) =>
        Enumerable.Range(0, n).Select(i => (float)(amplitude * Math.Sin(2 * Math.PI * hz * i / rate))).ToArray();

    /// <summary>Amplitude of the <paramref name="hz"/> component over y[from..from+count), by projection (count = whole periods).</summary>
    private static double Amplitude(float[] y, double hz, int rate, int from, int count)
    {
        double re = 0, im = 0;
        for (int i = from; i < from + count; i++)
        {
            re += y[i] * Math.Cos(2 * Math.PI * hz * i / rate);
            im += y[i] * Math.Sin(2 * Math.PI * hz * i / rate);
        }
        return 2 * Math.Sqrt(re * re + im * im) / count;
    }

    private static int PeakHz(float[] y, int rate)
    {
        using var spectrum = fft.rfft(tensor(y)).abs();
        return (int)Math.Round(spectrum.argmax().item<long>() * (double)rate / y.Length);
    }

    [Fact]
    public void A_1kHz_sine_at_44k1_keeps_its_frequency_and_amplitude_at_16k()
    {
        var y = new Resampler(44100, 16000).Process(Sine(1000, 0.5, 44100, 44100));

        Assert.Equal(16000, y.Length);
        Assert.Equal(1000, PeakHz(y, 16000));
        // Away from the edges (where the zero padding outside the clip is seen): 750 whole periods.
        Assert.Equal(0.5, Amplitude(y, 1000, 16000, 2000, 12000), 0.005);
    }

    [Fact]
    public void Upsampling_keeps_a_sine_and_a_constant()
    {
        var y = new Resampler(8000, 22050).Process(Sine(1000, 0.8, 8000, 8000));
        var dc = new Resampler(8000, 22050).Process(Enumerable.Repeat(0.25f, 800).ToArray());

        Assert.Equal(22050, y.Length);
        Assert.Equal(1000, PeakHz(y, 22050));
        Assert.Equal(0.8, Amplitude(y, 1000, 22050, 2205, 17640), 0.008);
        Assert.All(dc[200..2000], v => Assert.Equal(0.25, v, 0.0025));
    }

    [Fact]
    public void Content_above_the_new_nyquist_is_removed_not_aliased()
    {
        // 12 kHz at 44.1 kHz would alias to 4 kHz at 16 kHz without the low-pass.
        var y = new Resampler(44100, 16000).Process(Sine(12000, 0.5, 44100, 44100));

        double rms = Math.Sqrt(y[2000..14000].Select(v => (double)v * v).Average());
        Assert.True(rms < 0.005, $"rms {rms} after resampling a 0.354-rms tone above Nyquist");
    }

    [Theory]
    [InlineData(44100, 16000, 1000, 363)]
    [InlineData(48000, 16000, 1001, 334)]
    [InlineData(22050, 16000, 7, 5)]
    [InlineData(8000, 16000, 333, 666)]
    [InlineData(11025, 16000, 100, 145)]
    public void Output_length_is_the_rounded_rate_ratio(int from, int to, int n, int expected)
    {
        Assert.Equal(expected, (int)Math.Round((double)n * to / from, MidpointRounding.AwayFromZero));
        Assert.Equal(expected, new Resampler(from, to).Process(new float[n]).Length);
    }

    [Fact]
    public void Equal_rates_return_a_copy()
    {
        float[] x = [1, 2, 3];
        var y = Resampler.Resample(x, 16000, 16000);
        Assert.Equal(x, y);
        Assert.NotSame(x, y);
    }
}
