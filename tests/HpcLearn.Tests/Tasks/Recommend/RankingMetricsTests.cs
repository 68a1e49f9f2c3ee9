using HpcLearn.Tasks.Recommend;
using Xunit;

namespace HpcLearn.Tests.Tasks.Recommend;

/// <summary>Top-k metrics against values worked out by hand.</summary>
public sealed class RankingMetricsTests
{
    // Ranked list 7, 3, 9, 1; relevant {3, 1, 5}; k = 3: one hit (3 at rank 2).
    private static readonly int[] Ranked = [7, 3, 9, 1];
    private static readonly HashSet<int> Relevant = [3, 1, 5];

    [Fact]
    public void Precision_recall_and_hit_rate_at_k()
    {
        Assert.Equal(1.0 / 3, RankingMetrics.Precision(Ranked, Relevant, 3), 12);
        Assert.Equal(1.0 / 3, RankingMetrics.Recall(Ranked, Relevant, 3), 12);
        Assert.Equal(2.0 / 4, RankingMetrics.Precision(Ranked, Relevant, 4), 12);
        Assert.Equal(2.0 / 3, RankingMetrics.Recall(Ranked, Relevant, 4), 12);
        Assert.Equal(1.0, RankingMetrics.HitRate(Ranked, Relevant, 2));
        Assert.Equal(0.0, RankingMetrics.HitRate(Ranked, Relevant, 1));
    }

    [Fact]
    public void Ndcg_at_k_by_hand()
    {
        // DCG@3 = 1/log2(3); IDCG@3 = 1 + 1/log2(3) + 1/log2(4) = 1 + 0.63093 + 0.5.
        double expected = (1 / Math.Log2(3)) / (1 + 1 / Math.Log2(3) + 0.5);
        Assert.Equal(expected, RankingMetrics.Ndcg(Ranked, Relevant, 3), 12);
        Assert.Equal(1.0, RankingMetrics.Ndcg([1, 3, 5, 8], Relevant, 3), 12);   // all relevant on top
        Assert.Equal(0.0, RankingMetrics.Ndcg([8, 9], Relevant, 2));
    }

    [Fact]
    public void Mean_over_users_uses_the_named_keys()
    {
        var m = RankingMetrics.Mean([(Ranked, Relevant), ([5, 0], [5])], 2);
        Assert.Equal((0.5 + 0.5) / 2, m["precision_at_2"], 12);
        Assert.Equal((1.0 / 3 + 1) / 2, m["recall_at_2"], 12);
        Assert.Equal((1.0 + 1) / 2, m["hit_rate_at_2"], 12);
        Assert.Equal(((1 / Math.Log2(3)) / (1 + 1 / Math.Log2(3)) + 1) / 2, m["ndcg_at_2"], 12);
    }

    [Fact]
    public void Top_k_is_the_best_scores_first_ties_to_the_lower_id_and_skips_excluded()
    {
        float[] scores = [0.5f, 0.9f, 0.1f, 0.9f, 0.7f, float.NaN];
        Assert.Equal([1, 3, 4], RankingMetrics.TopK(scores, 3));
        Assert.Equal([3, 4, 0], RankingMetrics.TopK(scores, 3, new HashSet<int> { 1 }));
        Assert.Equal([1, 3, 4, 0, 2, 5], RankingMetrics.TopK(scores, 10));
        // Brute force on random scores: the same as a full stable sort.
        var rng = new Random(1);
        var many = Enumerable.Range(0, 200).Select(_ => (float)Math.Round(rng.NextDouble(), 1)).ToArray();
        var sorted = Enumerable.Range(0, 200).OrderByDescending(i => many[i]).ThenBy(i => i).Take(15);
        Assert.Equal(sorted, RankingMetrics.TopK(many, 15));
    }
}
