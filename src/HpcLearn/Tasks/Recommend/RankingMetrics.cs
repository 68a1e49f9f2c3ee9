using System.Globalization;

namespace HpcLearn.Tasks.Recommend;

/// <summary>
/// Top-k metrics of one user's ranked list against the set of relevant items (binary relevance),
/// as in RecBole and Microsoft's recommenders: precision@k = hits/k, recall@k = hits/|relevant|,
/// hit-rate@k = 1 if any hit, NDCG@k = Σ_{hits at rank r} 1/log₂(r+1) divided by the same sum
/// for an ideal list (min(k, |relevant|) hits on top).
/// </summary>
public static class RankingMetrics
{
    /// <summary>The metric names for a given k: precision_at_k, recall_at_k, ndcg_at_k, hit_rate_at_k.</summary>
    public static string[] Names(int k) =>
        [$"precision_at_{Num(k)}", $"recall_at_{Num(k)}", $"ndcg_at_{Num(k)}", $"hit_rate_at_{Num(k)}"];

    /// <summary>Hits among the first k of <paramref name="ranked"/> over k (a shorter list still divides by k).</summary>
    public static double Precision(IReadOnlyList<int> ranked, IReadOnlySet<int> relevant, int k) => Hits(ranked, relevant, k) / (double)k;

    /// <summary>Hits among the first k over the number of relevant items (0 when none is relevant).</summary>
    public static double Recall(IReadOnlyList<int> ranked, IReadOnlySet<int> relevant, int k) =>
        relevant.Count == 0 ? 0 : Hits(ranked, relevant, k) / (double)relevant.Count;

    /// <summary>1 when any of the first k is relevant.</summary>
    public static double HitRate(IReadOnlyList<int> ranked, IReadOnlySet<int> relevant, int k) => Hits(ranked, relevant, k) > 0 ? 1 : 0;

    /// <summary>Normalised discounted cumulative gain of the first k, binary relevance.</summary>
    public static double Ndcg(IReadOnlyList<int> ranked, IReadOnlySet<int> relevant, int k)
    {
        double dcg = 0, ideal = 0;
        for (int r = 0; r < Math.Min(k, ranked.Count); r++)
            if (relevant.Contains(ranked[r])) dcg += 1 / Math.Log2(r + 2);
        for (int r = 0; r < Math.Min(k, relevant.Count); r++) ideal += 1 / Math.Log2(r + 2);
        return ideal == 0 ? 0 : dcg / ideal;
    }

    /// <summary>The four metrics averaged over users, keyed by <see cref="Names"/>; NaN when there are no users.</summary>
    public static Dictionary<string, double> Mean(IReadOnlyList<(int[] Ranked, HashSet<int> Relevant)> users, int k)
    {
        var names = Names(k);
        double n = users.Count;
        return new Dictionary<string, double>
        {
            [names[0]] = users.Sum(x => Precision(x.Ranked, x.Relevant, k)) / n,
            [names[1]] = users.Sum(x => Recall(x.Ranked, x.Relevant, k)) / n,
            [names[2]] = users.Sum(x => Ndcg(x.Ranked, x.Relevant, k)) / n,
            [names[3]] = users.Sum(x => HitRate(x.Ranked, x.Relevant, k)) / n,
        };
    }

    /// <summary>
    /// The k best items by <paramref name="scores"/>, best first, skipping <paramref name="exclude"/>;
    /// ties go to the lower item id.
    /// </summary>
    public static int[] TopK(ReadOnlySpan<float> scores, int k, IReadOnlySet<int>? exclude = null)
    {
        // Min-heap of the best k so far, keyed so that the worst (lowest score, then highest id) is on top.
        var heap = new PriorityQueue<int, (float Score, int NegId)>(k + 1);
        for (int i = 0; i < scores.Length; i++)
        {
            if (exclude is not null && exclude.Contains(i)) continue;
            float s = float.IsNaN(scores[i]) ? float.NegativeInfinity : scores[i];
            if (heap.Count < k) heap.Enqueue(i, (s, -i));
            else if (heap.TryPeek(out _, out var worst) && (s > worst.Score || (s == worst.Score && -i > worst.NegId)))
            {
                heap.DequeueEnqueue(i, (s, -i));
            }
        }
        var top = new int[heap.Count];
        for (int r = top.Length - 1; r >= 0; r--) top[r] = heap.Dequeue();
        return top;
    }

    private static int Hits(IReadOnlyList<int> ranked, IReadOnlySet<int> relevant, int k)
    {
        int hits = 0;
        for (int r = 0; r < Math.Min(k, ranked.Count); r++) if (relevant.Contains(ranked[r])) hits++;
        return hits;
    }

    private static string Num(int k) => k.ToString(CultureInfo.InvariantCulture);
}
