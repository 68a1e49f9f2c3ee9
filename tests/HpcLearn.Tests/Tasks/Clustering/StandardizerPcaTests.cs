using HpcLearn.Tasks.Clustering;
using Xunit;

namespace HpcLearn.Tests.Tasks.Clustering;

public sealed class StandardizerPcaTests
{
    [Fact]
    public void Standardize_scales_to_unit_variance_and_leaves_constant_columns_at_zero()
    {
        float[] x = [1, 5, 3, 5, 5, 5]; // columns (1,3,5) and constant 5
        var s = Standardizer.Fit(x, 3, 2, out var constant);
        Assert.Equal([1], constant);
        var y = s.Apply(x, 2);
        Assert.Equal(-Math.Sqrt(1.5), y[0], 5);
        Assert.Equal(0f, y[1]);
        Assert.Equal(0f, y[5]);
        Assert.Equal([1.0, 5, 3, 5, 5, 5], s.Invert(y, 2).Select(v => Math.Round(v, 5)));
    }

    [Fact]
    public void Pca_finds_the_direction_of_largest_spread()
    {
        // Points along (1, 1, 0) with a little spread along z.
        var x = Enumerable.Range(0, 50).SelectMany(i => new[] { (float)i, (float)i, (i % 2) * 0.1f }).ToArray();
        Pca2.Project(x, 50, 3, out _, out var c);
        Assert.Equal(1 / Math.Sqrt(2), Math.Abs(c[0][0]), 4);
        Assert.Equal(1 / Math.Sqrt(2), Math.Abs(c[0][1]), 4);
        Assert.Equal(0, c[0][0] * c[1][0] + c[0][1] * c[1][1] + c[0][2] * c[1][2], 6);
    }
}
