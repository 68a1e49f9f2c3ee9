using HpcLearn.Tasks.Recommend;
using Xunit;

namespace HpcLearn.Tests.Tasks.Recommend;

/// <summary>The random baseline's exact expectation equals the mean over every ordering of a small catalogue.</summary>
public sealed class RandomRankingTests
{
    [Theory]
    [InlineData(5, 2, 3)]
    [InlineData(6, 1, 2)]
    [InlineData(4, 3, 2)]
    [InlineData(4, 2, 6)]   // k larger than the catalogue
    public void Expected_metrics_equal_the_average_over_all_permutations(int candidates, int relevant, int k)
    {
        var set = Enumerable.Range(0, relevant).ToHashSet();
        var names = RankingMetrics.Names(k);
        var sum = new double[4];
        int count = 0;
        foreach (var order in Permutations(Enumerable.Range(0, candidates).ToArray()))
        {
            count++;
            sum[0] += RankingMetrics.Precision(order, set, k);
            sum[1] += RankingMetrics.Recall(order, set, k);
            sum[2] += RankingMetrics.Ndcg(order, set, k);
            sum[3] += RankingMetrics.HitRate(order, set, k);
        }
        var expected = RandomRanking.Expected(candidates, relevant, k);
        for (int m = 0; m < 4; m++) Assert.Equal(sum[m] / count, expected[names[m]], 12);
    }

    [Fact]
    public void Mean_averages_users()
    {
        var m = RandomRanking.Mean([(4, 1), (4, 3)], 1);
        Assert.Equal((0.25 + 0.75) / 2, m["precision_at_1"], 12);
        Assert.Equal((0.25 + 0.25) / 2, m["recall_at_1"], 12);
    }

    private static IEnumerable<int[]> Permutations(int[] items)
    {
        if (items.Length <= 1) { yield return items; yield break; }
        for (int k = 0; k < items.Length; k++)
            foreach (var rest in Permutations(items.Where((_, j) => j != k).ToArray()))
                yield return [items[k], .. rest];
    }
}
