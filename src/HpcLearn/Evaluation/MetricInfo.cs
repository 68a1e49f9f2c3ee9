namespace HpcLearn.Evaluation;

/// <summary>
/// Which way each metric improves and how it is shown, so comparisons with a baseline never
/// depend on the caller remembering that a lower log-loss is better.
/// </summary>
public static class MetricInfo
{
    private static readonly Dictionary<string, (bool HigherIsBetter, string DisplayName)> Known = new()
    {
        [MetricNames.Accuracy] = (true, "Accuracy"),
        [MetricNames.MacroF1] = (true, "Macro F1"),
        [MetricNames.LogLoss] = (false, "Log loss"),
        [MetricNames.Rmse] = (false, "RMSE"),
        [MetricNames.Mae] = (false, "MAE"),
        [MetricNames.R2] = (true, "R²"),
        [MetricNames.Loss] = (false, "Loss"),
        ["bits_per_char"] = (false, "Bits per character"),
        ["relative_l2_error"] = (false, "Relative L2 error"),
        ["max_abs_error"] = (false, "Max |error|"),
        ["judge_optimal"] = (true, "Optimal moves"),
        ["judge_hard"] = (true, "Optimal moves, hard set"),
        ["judge_outcome_kept"] = (true, "Outcome kept"),
        ["silhouette"] = (true, "Silhouette"),
        ["davies_bouldin"] = (false, "Davies–Bouldin"),
        ["calinski_harabasz"] = (true, "Calinski–Harabasz"),
        ["inertia"] = (false, "Inertia"),
        ["log_likelihood"] = (true, "Log-likelihood"),
        ["bic"] = (false, "BIC"),
        ["aic"] = (false, "AIC"),
        ["ari"] = (true, "ARI"),
        ["nmi"] = (true, "NMI"),
    };

    // Families named with a parameter: top-k metrics (ndcg_at_10) and games scores (score_vs_mcts_1000).
    private static (bool HigherIsBetter, string DisplayName)? Family(string metric)
    {
        int at = metric.LastIndexOf("_at_", StringComparison.Ordinal);
        if (at > 0 && int.TryParse(metric.AsSpan(at + 4), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int k))
        {
            string? name = metric[..at] switch
            {
                "precision" => "Precision", "recall" => "Recall", "ndcg" => "NDCG", "hit_rate" => "Hit rate", _ => null,
            };
            if (name is not null) return (true, $"{name}@{k}");
        }
        if (metric.StartsWith("score_vs_", StringComparison.Ordinal)) return (true, $"Score vs {metric[9..]}");
        if (metric.StartsWith("losses_vs_", StringComparison.Ordinal)) return (false, $"Losses vs {metric[10..]}");
        return null;
    }

    /// <summary>Whether <paramref name="metric"/> is one of the metrics described here.</summary>
    public static bool IsKnown(string metric) => metric is not null && (Known.ContainsKey(metric) || Family(metric) is not null);

    /// <summary>True for metrics where a larger value is better (accuracy, macro_f1, r2).</summary>
    /// <exception cref="ArgumentException">The metric is not known.</exception>
    public static bool HigherIsBetter(string metric) => Lookup(metric).HigherIsBetter;

    /// <summary>The name shown in tables, e.g. "Log loss" for "log_loss".</summary>
    /// <exception cref="ArgumentException">The metric is not known.</exception>
    public static string DisplayName(string metric) => Lookup(metric).DisplayName;

    /// <summary>
    /// Whether <paramref name="model"/> is strictly better than <paramref name="baseline"/>: a tie
    /// does not beat the baseline, and neither does NaN.
    /// </summary>
    /// <exception cref="ArgumentException">The metric is not known.</exception>
    public static bool Beats(string metric, double model, double baseline) =>
        HigherIsBetter(metric) ? model > baseline : model < baseline;

    private static (bool HigherIsBetter, string DisplayName) Lookup(string metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return Known.TryGetValue(metric, out var info) ? info
            : Family(metric) is { } family ? family
            : throw new ArgumentException(
                $"unknown metric '{metric}'; known metrics are {string.Join(", ", Known.Keys)}.", nameof(metric));
    }
}
