using HpcLearn.Data.Audio;
using Xunit;
using static TorchSharp.torch;

namespace HpcLearn.Tests.Data.Audio;

public sealed class SpectrogramStatsTests
{
    [Fact]
    public void Mean_and_std_per_band_match_a_direct_computation()
    {
        // (N=2, 1, M=3, T=4): band m of example n holds n·10 + m·t.
        var values = new float[2 * 3 * 4];
        for (int n = 0; n < 2; n++) for (int m = 0; m < 3; m++) for (int t = 0; t < 4; t++) values[(n * 3 + m) * 4 + t] = n * 10 + m * t;
        using var x = tensor(values, [2, 1, 3, 4]);

        var stats = SpectrogramStats.Compute(x);

        for (int m = 0; m < 3; m++)
        {
            var band = Enumerable.Range(0, 2).SelectMany(n => Enumerable.Range(0, 4).Select(t => n * 10.0 + m * t)).ToArray();
            double mean = band.Average(), std = Math.Sqrt(band.Average(v => (v - mean) * (v - mean)));
            Assert.Equal(mean, stats.Mean[m], 4);
            Assert.Equal(std, stats.Std[m], 4);
        }
    }

    [Fact]
    public void Applying_the_training_stats_standardises_training_and_maps_other_data_with_them()
    {
        using var train = randn([20, 1, 8, 30], generator: new Generator(3)).mul(4).add(-7);
        using var other = full([1, 1, 8, 30], 1f);
        var stats = SpectrogramStats.Compute(train);

        using var z = stats.Apply(train);
        using var zOther = stats.Apply(other);

        using var bandMeans = z.mean([0, 1, 3]);
        using var bandStds = z.std([0, 1, 3], unbiased: false);
        Assert.True(bandMeans.abs().max().item<float>() < 1e-4);
        Assert.True(bandStds.sub(1).abs().max().item<float>() < 1e-4);
        for (int m = 0; m < 8; m++) Assert.Equal((1 - stats.Mean[m]) / stats.Std[m], zOther[0, 0, m, 5].item<float>(), 4);
        Assert.Equal(1f, other.mean().item<float>());   // the inputs are left as they were
        Assert.True(train.std().item<float>() > 3);
    }

    [Fact]
    public void A_constant_band_maps_to_zero_and_a_wrong_band_count_is_refused()
    {
        using var silence = full([3, 4, 10], -13.8f);
        var stats = SpectrogramStats.Compute(silence);

        using var z = stats.Apply(silence);
        Assert.Equal(0f, z.abs().max().item<float>());
        Assert.Throws<ArgumentException>(() => stats.Apply(zeros(1, 5, 10)));
    }
}
