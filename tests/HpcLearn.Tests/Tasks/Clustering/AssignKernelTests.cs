using HpcLearn.Tasks.Clustering;
using Xunit;

namespace HpcLearn.Tests.Tasks.Clustering;

/// <summary>
/// The assignment kernel's two paths (512-bit vectors, eight points at a time; <c>Vector&lt;T&gt;</c>, four
/// at a time) against each other and against a brute-force double-precision nearest centre.
/// </summary>
public sealed class AssignKernelTests
{
    [Theory]
    [InlineData(3, 5)]
    [InlineData(10, 784)]
    [InlineData(17, 33)]
    [InlineData(40, 16)]
    public void Both_paths_give_the_same_bits_and_the_brute_force_nearest_centre(int k, int d)
    {
        const int n = 203; // not a multiple of 8 or 4: the remainder rows take the narrower path
        var rng = new Random(k * 1000 + d);
        var x = Enumerable.Range(0, n * d).Select(_ => (float)rng.NextDouble()).ToArray();
        var c = Enumerable.Range(0, k * d).Select(_ => (float)rng.NextDouble()).ToArray();
        var norm = Enumerable.Range(0, n).Select(i => (float)x.AsSpan(i * d, d).ToArray().Sum(v => (double)v * v)).ToArray();
        var packed = new PackedCentres(c, k, d);

        (int[] Labels, float[] Dist) Run(bool wide)
        {
            bool was = AssignKernel.Wide;
            try
            {
                AssignKernel.Wide = wide;
                var labels = new int[n];
                var dist = new float[n];
                AssignKernel.Assign(x, norm, 0, n, packed, labels, dist);
                return (labels, dist);
            }
            finally { AssignKernel.Wide = was; }
        }
        var narrow = Run(false);
        var wide = Run(true);
        Assert.Equal(narrow.Labels, wide.Labels);
        Assert.Equal(narrow.Dist, wide.Dist);

        int mismatches = 0;
        for (int i = 0; i < n; i++)
        {
            var exact = Enumerable.Range(0, k).Select(j => Enumerable.Range(0, d).Sum(t => Math.Pow((double)x[i * d + t] - c[j * d + t], 2))).ToArray();
            int best = Array.IndexOf(exact, exact.Min());
            Assert.Equal(exact[best], wide.Dist[i], 1e-4 * Math.Max(1, exact[best]));
            // Float rounding may flip a near-tie; the chosen centre must then be as near to 1e-5.
            if (wide.Labels[i] != best)
            {
                mismatches++;
                Assert.True(exact[wide.Labels[i]] - exact[best] <= 1e-5 * exact[best], $"point {i}: centre {wide.Labels[i]} at {exact[wide.Labels[i]]} vs {best} at {exact[best]}");
            }
        }
        Assert.True(mismatches <= 2, $"{mismatches} near-ties");
    }

    [Theory]
    [InlineData(5, 3, 1)]   // one 16-lane block: a duplicate in another lane
    [InlineData(20, 17, 2)] // two blocks: the duplicate of centre 2 sits in the second block's lane 1
    [InlineData(40, 33, 33)] // a centre equal to itself only: no tie
    public void Equal_centres_go_to_the_lowest_index_on_both_paths(int k, int dup, int of)
    {
        const int n = 64, d = 7;
        var rng = new Random(k);
        var c = Enumerable.Range(0, k * d).Select(_ => (float)rng.NextDouble()).ToArray();
        Array.Copy(c, of * d, c, dup * d, d);
        // Every point is centre `of` itself plus a little noise: it is nearest to both copies.
        var x = new float[n * d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) x[i * d + j] = c[of * d + j] + (float)(rng.NextDouble() * 1e-3);
        var norm = Enumerable.Range(0, n).Select(i => (float)x.AsSpan(i * d, d).ToArray().Sum(v => (double)v * v)).ToArray();
        var packed = new PackedCentres(c, k, d);
        foreach (bool wide in new[] { false, true })
        {
            bool was = AssignKernel.Wide;
            try
            {
                AssignKernel.Wide = wide;
                var labels = new int[n];
                AssignKernel.Assign(x, norm, 0, n, packed, labels, new float[n]);
                Assert.All(labels, l => Assert.Equal(Math.Min(dup, of), l));
            }
            finally { AssignKernel.Wide = was; }
        }
    }
}
