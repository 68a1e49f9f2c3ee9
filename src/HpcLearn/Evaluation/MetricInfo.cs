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
    };

    /// <summary>Whether <paramref name="metric"/> is a metric this table knows.</summary>
    public static bool IsKnown(string metric) => Known.ContainsKey(metric);

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
        return Known.TryGetValue(metric, out var info)
            ? info
            : throw new ArgumentException(
                $"unknown metric '{metric}'; known metrics are {string.Join(", ", Known.Keys)}.", nameof(metric));
    }
}
