namespace HpcLearn.Tasks.Recommend;

/// <summary>
/// The top-k ranking of a rating model: predicted rating + w · ln(1 + training ratings of the item).
/// A rating model alone ranks by how much a user would like an item if they saw it, and so fills
/// the list with obscure items the user would never have come across; on real ratings (missing not
/// at random, long-tailed) that loses every top-k metric to plain popularity. The weight w trades
/// the two and is chosen on the validation pairs (never the test pairs) from <see cref="Grid"/>,
/// whose largest value ranks almost as popularity does, so the chosen blend is at least as good as
/// popularity on validation.
/// </summary>
public static class PopularityBlend
{
    /// <summary>The weights tried, smallest first (0: the predicted rating alone).</summary>
    public static IReadOnlyList<double> Grid { get; } = [0, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10];

    /// <summary>Adds w · ln(1 + count) to each item's score, in place.</summary>
    public static float[] Apply(float[] scores, IReadOnlyList<int> itemCount, double weight)
    {
        if (weight == 0) return scores;
        for (int i = 0; i < scores.Length; i++) scores[i] += (float)(weight * Math.Log(1 + itemCount[i]));
        return scores;
    }

    /// <summary>
    /// The weight of <see cref="Grid"/> with the highest NDCG@k on <paramref name="valid"/> (ties: the
    /// smaller weight), and the NDCG@k of every weight. Each user with a relevant validation pair ranks
    /// every item they have not rated in <paramref name="train"/>. Null when no validation pair is relevant.
    /// </summary>
    public static (double Weight, IReadOnlyList<(double Weight, double Ndcg)> Tried)? Choose(ModelScorer scorer, RatingPairs valid,
        IReadOnlyList<HashSet<int>> train, int items, IReadOnlyList<int> itemCount, double relevantFrom, int k)
    {
        var relevant = new SortedDictionary<int, HashSet<int>>();
        for (int p = 0; p < valid.Count; p++)
            if (valid.IsWarm(p) && valid.Ratings[p] >= relevantFrom && !train[valid.Users[p]].Contains(valid.Items[p]))
                (relevant.TryGetValue(valid.Users[p], out var set) ? set : relevant[valid.Users[p]] = []).Add(valid.Items[p]);
        if (relevant.Count == 0) return null;
        var users = relevant.Keys.ToList();
        var rows = scorer.ScoreAllItems(users, items);
        var tried = new List<(double, double)>();
        foreach (double w in Grid)
        {
            var lists = users.Select((u, r) => (RankingMetrics.TopK(Apply((float[])rows[r].Clone(), itemCount, w), k, train[u]), relevant[u])).ToList();
            tried.Add((w, RankingMetrics.Mean(lists, k)[RankingMetrics.Names(k)[2]]));
        }
        var best = tried.OrderByDescending(t => t.Item2).ThenBy(t => t.Item1).First();
        return (best.Item1, tried);
    }
}
