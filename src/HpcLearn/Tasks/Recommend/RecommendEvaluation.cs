using HpcLearn.Evaluation;

namespace HpcLearn.Tasks.Recommend;

/// <summary>
/// Scores a model and the baselines on test pairs. Rating metrics use every test pair (cold ones
/// get the biases baseline's rating); top-k metrics rank, for every known test user with a
/// relevant test item, all training items the user has not rated in training.
/// </summary>
public static class RecommendEvaluation
{
    /// <summary>Rating and top-k metrics for the model (through <paramref name="scorer"/>) and every baseline.</summary>
    /// <param name="scorer">The model.</param>
    /// <param name="seen">Each user's training items (never recommended back), by dense user id.</param>
    /// <param name="test">The test pairs.</param>
    /// <param name="items">Number of training items.</param>
    /// <param name="baselines">The fitted baselines (a saved model keeps only the biases and popularity).</param>
    /// <param name="eval">k and the relevance threshold.</param>
    /// <param name="popularityWeight">The model's top-k ranking: predicted rating + w · ln(1 + training ratings of the item) (<see cref="PopularityBlend"/>).</param>
    public static RecommendScores Evaluate(ModelScorer scorer, IReadOnlyList<HashSet<int>> seen, RatingPairs test, int items,
        RatingBaselines baselines, RecommendEvalOptions eval, double popularityWeight = 0)
    {
        var predicted = Predict(scorer, test, baselines);
        var truth = test.Ratings.Select(r => (double)r).ToArray();
        var model = new Dictionary<string, double>
        {
            [MetricNames.Rmse] = RegressionMetrics.Rmse(truth, predicted),
            [MetricNames.Mae] = RegressionMetrics.Mae(truth, predicted),
        };
        var result = new Dictionary<BaselineKind, IReadOnlyDictionary<string, double>>();
        foreach (var kind in Enum.GetValues<BaselineKind>().Where(baselines.Has))
        {
            var m = new Dictionary<string, double>();
            if (kind != BaselineKind.Popularity)
            {
                var p = Enumerable.Range(0, test.Count).Select(k => (double)baselines.Predict(kind, test.Users[k], test.Items[k])).ToArray();
                m[MetricNames.Rmse] = RegressionMetrics.Rmse(truth, p);
                m[MetricNames.Mae] = RegressionMetrics.Mae(truth, p);
            }
            result[kind] = m;
        }

        double from = eval.RelevantFrom ?? baselines.GlobalMean;
        var relevant = new Dictionary<int, HashSet<int>>();
        for (int k = 0; k < test.Count; k++)
            if (test.IsWarm(k) && test.Ratings[k] >= from && !seen[test.Users[k]].Contains(test.Items[k]))
                (relevant.TryGetValue(test.Users[k], out var set) ? set : relevant[test.Users[k]] = new HashSet<int>()).Add(test.Items[k]);
        var rankedUsers = relevant.Keys.Order().ToList();
        if (rankedUsers.Count > 0)
        {
            var rows = scorer.ScoreAllItems(rankedUsers, items);
            var lists = rankedUsers.Select((u, r) => (RankingMetrics.TopK(PopularityBlend.Apply(rows[r], baselines.ItemCount, popularityWeight), eval.K, seen[u]), relevant[u])).ToList();
            foreach (var (name, value) in RankingMetrics.Mean(lists, eval.K)) model[name] = value;
            foreach (var kind in result.Keys)
            {
                if (baselines.ItemScores(kind) is not { } scores) continue;
                var bl = rankedUsers.Select(u => (RankingMetrics.TopK(scores, eval.K, seen[u]), relevant[u])).ToList();
                var m = (Dictionary<string, double>)result[kind];
                foreach (var (name, value) in RankingMetrics.Mean(bl, eval.K)) m[name] = value;
            }
        }
        int cold = Enumerable.Range(0, test.Count).Count(k => !test.IsWarm(k));
        return new RecommendScores(model, result, test.Count, cold, rankedUsers.Count, from);
    }

    /// <summary>The model's rating for every test pair, clipped to the range; cold pairs get the biases baseline.</summary>
    public static double[] Predict(ModelScorer scorer, RatingPairs pairs, RatingBaselines baselines)
    {
        var warm = Enumerable.Range(0, pairs.Count).Where(pairs.IsWarm).ToArray();
        var scores = scorer.Score(warm.Select(k => pairs.Users[k]).ToArray(), warm.Select(k => pairs.Items[k]).ToArray());
        var predicted = new double[pairs.Count];
        for (int k = 0; k < pairs.Count; k++) predicted[k] = baselines.Predict(BaselineKind.Biases, pairs.Users[k], pairs.Items[k]);
        for (int w = 0; w < warm.Length; w++) predicted[warm[w]] = Math.Clamp(scores[w], baselines.Min, baselines.Max);
        return predicted;
    }

    /// <summary>Each user's items in <paramref name="train"/> and the warm pairs of <paramref name="more"/> (the validation pairs: the user rated them too).</summary>
    public static HashSet<int>[] Seen(RatingPairs train, int users, RatingPairs? more = null)
    {
        var seen = Enumerable.Range(0, users).Select(_ => new HashSet<int>()).ToArray();
        for (int k = 0; k < train.Count; k++) seen[train.Users[k]].Add(train.Items[k]);
        if (more is not null)
            for (int k = 0; k < more.Count; k++)
                if (more.IsWarm(k)) seen[more.Users[k]].Add(more.Items[k]);
        return seen;
    }
}
