namespace HpcLearn.Tasks.Recommend;

/// <summary>
/// Scores an implicit-feedback model on held-out interactions: for every known test user, every
/// training item the user has not interacted with in training is ranked, and the user's held-out
/// (warm, not already seen) items are the relevant ones. Beside it: popularity (items by training
/// interactions) and the exact expectation of a random ranking. No rating metrics.
/// </summary>
public static class ImplicitEvaluation
{
    /// <summary>Top-k metrics of the model, the popularity baseline and random.</summary>
    /// <param name="scorer">The model.</param>
    /// <param name="seen">Each user's training items (never ranked), by dense user id.</param>
    /// <param name="test">The held-out interactions.</param>
    /// <param name="itemCounts">Training interactions per item (the popularity baseline).</param>
    /// <param name="k">List length.</param>
    public static RecommendScores Evaluate(ModelScorer scorer, IReadOnlyList<HashSet<int>> seen, RatingPairs test,
        IReadOnlyList<int> itemCounts, int k)
    {
        int items = itemCounts.Count;
        var relevant = new SortedDictionary<int, HashSet<int>>();
        for (int p = 0; p < test.Count; p++)
            if (test.IsWarm(p) && !seen[test.Users[p]].Contains(test.Items[p]))
                (relevant.TryGetValue(test.Users[p], out var set) ? set : relevant[test.Users[p]] = []).Add(test.Items[p]);
        var users = relevant.Keys.ToList();
        var model = new Dictionary<string, double>();
        var baselines = new Dictionary<BaselineKind, IReadOnlyDictionary<string, double>>();
        if (users.Count > 0)
        {
            var rows = scorer.ScoreAllItems(users, items);
            model = RankingMetrics.Mean(users.Select((u, r) => (RankingMetrics.TopK(rows[r], k, seen[u]), relevant[u])).ToList(), k);
            var popularity = itemCounts.Select(n => (float)n).ToArray();
            baselines[BaselineKind.Popularity] = RankingMetrics.Mean(users.Select(u => (RankingMetrics.TopK(popularity, k, seen[u]), relevant[u])).ToList(), k);
            baselines[BaselineKind.Random] = RandomRanking.Mean(users.Select(u => (items - seen[u].Count, relevant[u].Count)).ToList(), k);
        }
        int cold = Enumerable.Range(0, test.Count).Count(p => !test.IsWarm(p));
        return new RecommendScores(model, baselines, test.Count, cold, users.Count, double.NaN, Implicit: true);
    }
}
