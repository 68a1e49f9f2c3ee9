using HpcLearn.Tasks.Recommend;
using Xunit;

namespace HpcLearn.Tests.Tasks.Recommend;

public sealed class SyntheticRatingsTests
{
    private static readonly SyntheticRatingsOptions Small = new() { Users = 100, Items = 80, Ratings = 2000 };

    [Fact]
    public void Same_seed_same_ratings_distinct_pairs_in_range()
    {
        var a = SyntheticRatings.Generate(Small, 5);
        var b = SyntheticRatings.Generate(Small, 5);
        Assert.Equal(a.Log.Rows, b.Log.Rows);
        Assert.Equal(2000, a.Log.Rows.Select(r => (r.User, r.Item)).Distinct().Count());
        Assert.All(a.Log.Rows, r => Assert.InRange(r.Value, 1f, 5f));
        Assert.NotEqual(a.Log.Rows, SyntheticRatings.Generate(Small, 6).Log.Rows);
    }

    [Fact]
    public void Clamped_mean_matches_monte_carlo()
    {
        var rng = new Random(2);
        foreach (var (m, s) in new[] { (4.6, 0.5), (1.2, 0.8), (3.0, 0.3) })
        {
            double sum = 0; const int n = 200_000;
            for (int k = 0; k < n; k++)
            {
                double g = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
                sum += Math.Clamp(m + s * g, 1, 5);
            }
            Assert.Equal(sum / n, SyntheticRatings.ClampedMean(m, s, 1, 5), 2);
        }
    }

    [Fact]
    public void Exposure_is_skewed_and_missing_not_at_random()
    {
        var skewed = SyntheticRatings.Generate(Small with { PopularitySkew = 1.0, Selection = 0 }, 1);
        var counts = skewed.Log.Rows.GroupBy(r => r.Item).Select(g => g.Count()).OrderDescending().ToArray();
        Assert.True(counts[0] > 4 * counts[counts.Length / 2], $"top item {counts[0]} vs median {counts[counts.Length / 2]}");
        // People rate what they like: with selection the observed mean of the truth rises.
        double random = SyntheticRatings.Generate(Small with { Selection = 0 }, 1).Truth.Average();
        double selective = SyntheticRatings.Generate(Small with { Selection = 2 }, 1).Truth.Average();
        Assert.True(selective > random + 0.2, $"{selective} vs {random}");
    }
}
