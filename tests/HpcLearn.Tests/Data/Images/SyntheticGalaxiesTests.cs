using HpcLearn.Data.Images;
using Xunit;

namespace HpcLearn.Tests.Data.Images;

public sealed class SyntheticGalaxiesTests
{
    [Fact]
    public void The_same_seed_gives_the_same_images_and_another_seed_others()
    {
        var a = SyntheticGalaxies.Generate(40, 16, seed: 1);
        var b = SyntheticGalaxies.Generate(40, 16, seed: 1);
        var c = SyntheticGalaxies.Generate(40, 16, seed: 2);
        Assert.Equal(a.Pixels, b.Pixels);
        Assert.NotEqual(a.Pixels, c.Pixels);
        Assert.Equal([10, 10, 10, 10], a.ClassCounts());
    }

    [Fact]
    public void Edge_on_galaxies_are_elongated_and_others_less_so()
    {
        // The shape the class promises: the second moments of the light of an edge-on disk have a
        // large axis ratio; ellipticals and spirals are rounder on average.
        var set = SyntheticGalaxies.Generate(400, 32, seed: 3);
        double Ratio(int i)
        {
            double sw = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
            for (int y = 0; y < 32; y++)
                for (int x = 0; x < 32; x++)
                {
                    double w = Math.Max(set.Pixels[i * 1024 + y * 32 + x] - 40, 0);   // above the sky
                    sw += w; sx += w * x; sy += w * y; sxx += w * x * x; syy += w * y * y; sxy += w * x * y;
                }
            double mx = sx / sw, my = sy / sw, a = sxx / sw - mx * mx, c = syy / sw - my * my, b = sxy / sw - mx * my;
            double root = Math.Sqrt((a - c) * (a - c) / 4 + b * b);
            return ((a + c) / 2 + root) / Math.Max((a + c) / 2 - root, 1e-9);
        }
        double Mean(int cls) => Enumerable.Range(0, set.Count).Where(i => set.Labels[i] == cls).Average(Ratio);
        Assert.True(Mean(2) > 2 * Mean(0), $"edge-on {Mean(2):F2} vs elliptical {Mean(0):F2}");
        Assert.True(Mean(2) > 2 * Mean(1), $"edge-on {Mean(2):F2} vs spiral {Mean(1):F2}");
    }
}
