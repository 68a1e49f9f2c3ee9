using System.Globalization;
using System.Text;
using HpcLearn.Evaluation;

namespace HpcLearn.Tasks.Recommend;

/// <summary>
/// The plain-text table printed after training: each metric of the model beside every baseline's,
/// and whether the model beats all of them (RMSE and MAE lower is better, top-k higher).
/// </summary>
public static class RecommendTable
{
    private static readonly (BaselineKind Kind, string Header)[] Columns =
    [
        (BaselineKind.GlobalMean, "global mean"), (BaselineKind.UserMean, "user mean"), (BaselineKind.ItemMean, "item mean"),
        (BaselineKind.Biases, "user+item biases"), (BaselineKind.Popularity, "popularity"), (BaselineKind.Random, "random"),
    ];

    /// <summary>The snake_case key of a baseline in summary.json.</summary>
    public static string Key(BaselineKind kind) => kind switch
    {
        BaselineKind.GlobalMean => "global_mean",
        BaselineKind.UserMean => "user_mean",
        BaselineKind.ItemMean => "item_mean",
        BaselineKind.Biases => "user_item_biases",
        BaselineKind.Random => "random",
        _ => "popularity",
    };

    /// <summary>Whether a larger value of <paramref name="metric"/> is better.</summary>
    public static bool HigherIsBetter(string metric) => metric is not (MetricNames.Rmse or MetricNames.Mae);

    /// <summary>Whether the model beats every baseline that reports <paramref name="metric"/> (NaN never beats).</summary>
    public static bool BeatsAll(RecommendScores s, string metric)
    {
        double v = s.Model[metric];
        return s.Baselines.Values.Where(b => b.ContainsKey(metric))
            .All(b => HigherIsBetter(metric) ? v > b[metric] : v < b[metric]);
    }

    /// <summary>The table, then what the rows mean.</summary>
    public static string Format(RecommendScores s, int k, double? noiseFloor = null)
    {
        var c = CultureInfo.InvariantCulture;
        // Explicit: every rating baseline (a "-" where a saved model lacks one); implicit: popularity and random.
        var columns = Columns.Where(col => s.Implicit ? s.Baselines.ContainsKey(col.Kind) : col.Kind != BaselineKind.Random).ToArray();
        string[] header = ["metric", "model", .. columns.Select(x => x.Header), "beats all"];
        var rows = new List<string[]> { header };
        foreach (var (metric, value) in s.Model)
        {
            var row = new List<string> { Display(metric), value.ToString("F4", c) };
            row.AddRange(columns.Select(col => s.Baselines.TryGetValue(col.Kind, out var bm) && bm.TryGetValue(metric, out double b) ? b.ToString("F4", c) : "-"));
            row.Add(BeatsAll(s, metric) ? "yes" : "no");
            rows.Add(row.ToArray());
        }
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            var cells = row.Select((cell, j) =>
            {
                int width = rows.Max(r => r[j].Length);
                return j == 0 || j == row.Length - 1 ? cell.PadRight(width) : cell.PadLeft(width);
            });
            text.Append(string.Join("  ", cells).TrimEnd()).Append('\n');
        }
        if (s.Implicit) return text.Append(ImplicitFooter(s, k)).ToString();
        text.Append(string.Create(c, $"{s.TestPairs} test ratings ({s.ColdPairs} cold-start, rated by the biases baseline); top-{k} over {s.RankedUsers} users with a test rating >= {s.RelevantFrom:G4}, ranking the training items they have not rated\n"));
        if (noiseFloor is { } floor) text.Append(string.Create(c, $"noise floor of the synthetic data (RMSE of the best possible prediction): {floor:F4}\n"));
        if (s.Model.ContainsKey(MetricNames.Rmse) && !BeatsAll(s, MetricNames.Rmse))
            text.Append("WARNING: the model does not beat every baseline on RMSE: train longer, or change train.lr / train.weight_decay / model.factors\n");
        return text.ToString();
    }

    private static string ImplicitFooter(RecommendScores s, int k)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(string.Create(c, $"{s.TestPairs} held-out interactions ({s.ColdPairs} cold-start, not ranked); top-{k} over {s.RankedUsers} users with a held-out interaction, ranking every training item they have not interacted with\n"));
        text.Append("popularity ranks items by training interactions; random is the exact expected value of a uniformly random ranking\n");
        text.Append("no RMSE or MAE: implicit feedback has no ratings to predict\n");
        string ndcg = RankingMetrics.Names(k)[2];
        if (s.Model.ContainsKey(ndcg) && !BeatsAll(s, ndcg))
            text.Append(string.Create(c, $"WARNING: the model does not beat every baseline on NDCG@{k}: train longer, or change train.lr / model.l2 / model.factors\n"));
        return text.ToString();
    }

    /// <summary>"RMSE", "Precision@10", ...</summary>
    public static string Display(string metric)
    {
        if (metric == MetricNames.Rmse) return "RMSE";
        if (metric == MetricNames.Mae) return "MAE";
        int at = metric.LastIndexOf("_at_", StringComparison.Ordinal);
        if (at < 0) return metric;
        string k = metric[(at + 4)..];
        return metric[..at] switch
        {
            "precision" => $"Precision@{k}",
            "recall" => $"Recall@{k}",
            "ndcg" => $"NDCG@{k}",
            "hit_rate" => $"Hit rate@{k}",
            _ => metric,
        };
    }
}
