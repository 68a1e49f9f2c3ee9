namespace HpcLearn.Tasks.Recommend;

/// <summary>
/// The top-k metrics a uniformly random ranking scores in expectation, exactly: of M candidate
/// items of which R are relevant, a random list of k' = min(k, M) has E[hits] = k'R/M, each rank
/// holds a relevant item with probability R/M (so E[DCG] = Σ_{r&lt;k'} (R/M)/log₂(r+2)), and it misses
/// every relevant item with probability C(M−R, k')/C(M, k').
/// </summary>
public static class RandomRanking
{
    /// <summary>Expected precision@k, recall@k, NDCG@k and hit-rate@k, keyed as <see cref="RankingMetrics.Names"/>.</summary>
    /// <param name="candidates">M, the items that could be listed.</param>
    /// <param name="relevant">R, the relevant ones among them (at most M).</param>
    /// <param name="k">List length.</param>
    public static Dictionary<string, double> Expected(int candidates, int relevant, int k)
    {
        if (relevant < 0 || relevant > candidates) throw new ArgumentOutOfRangeException(nameof(relevant));
        var names = RankingMetrics.Names(k);
        int listed = Math.Min(k, candidates);
        double share = candidates == 0 ? 0 : (double)relevant / candidates;
        double dcg = 0, ideal = 0, missAll = 1;
        for (int r = 0; r < listed; r++)
        {
            dcg += share / Math.Log2(r + 2);
            missAll *= (double)(candidates - relevant - r) / (candidates - r);
        }
        for (int r = 0; r < Math.Min(k, relevant); r++) ideal += 1 / Math.Log2(r + 2);
        double hits = listed * share;
        return new Dictionary<string, double>
        {
            [names[0]] = hits / k,
            [names[1]] = relevant == 0 ? 0 : hits / relevant,
            [names[2]] = ideal == 0 ? 0 : dcg / ideal,
            [names[3]] = relevant == 0 ? 0 : 1 - Math.Max(0, missAll),
        };
    }

    /// <summary>The expectation averaged over users, each given as (candidates, relevant).</summary>
    public static Dictionary<string, double> Mean(IReadOnlyList<(int Candidates, int Relevant)> users, int k)
    {
        var sum = RankingMetrics.Names(k).ToDictionary(n => n, _ => 0.0);
        foreach (var (m, r) in users)
            foreach (var (name, v) in Expected(m, r, k)) sum[name] += v;
        return sum.ToDictionary(p => p.Key, p => p.Value / users.Count);
    }
}
