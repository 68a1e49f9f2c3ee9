using System.Globalization;
using System.Text;

namespace HpcLearn.Evaluation;

/// <summary>
/// The plain-text table printed after evaluation: each metric of the model beside the same
/// metric of a trivial baseline, and a warning when the model does not beat it.
/// </summary>
public static class MetricsTable
{
    private static readonly string[] Header = ["metric", "model", "baseline", "beats baseline"];

    /// <summary>
    /// One row per metric of <paramref name="model"/>, in its order, with 4 decimals; a metric the
    /// baseline lacks shows "-". The first metric is the primary one: when the baseline has it and
    /// the model does not beat it, a line starting "WARNING:" follows the table.
    /// </summary>
    /// <param name="model">The model's metrics; the first is the primary metric.</param>
    /// <param name="baseline">The baseline's metrics, by the same keys.</param>
    /// <param name="baselineDescription">What the baseline predicts, e.g. "majority class 'no' (62.0% of training rows)".</param>
    /// <exception cref="ArgumentException">No model metrics, or a metric unknown to <see cref="MetricInfo"/>.</exception>
    public static string Format(
        IReadOnlyDictionary<string, double> model,
        IReadOnlyDictionary<string, double> baseline,
        string baselineDescription)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(baselineDescription);
        if (model.Count == 0)
            throw new ArgumentException("model has no metrics to show.", nameof(model));

        var rows = new List<string[]> { Header };
        foreach (var (metric, value) in model)
        {
            bool hasBaseline = baseline.TryGetValue(metric, out double reference);
            rows.Add([
                MetricInfo.DisplayName(metric),
                Number(value),
                hasBaseline ? Number(reference) : "-",
                hasBaseline ? (MetricInfo.Beats(metric, value, reference) ? "yes" : "no") : "-",
            ]);
        }

        var text = new StringBuilder();
        foreach (string[] row in rows)
            text.Append(Line(row, rows)).Append('\n');
        text.Append("baseline: ").Append(baselineDescription).Append('\n');

        var (primary, primaryValue) = model.First();
        if (baseline.TryGetValue(primary, out double primaryBaseline)
            && !MetricInfo.Beats(primary, primaryValue, primaryBaseline))
        {
            text.Append($"WARNING: the model does not beat the baseline on {primary} ")
                .Append($"({Number(primaryValue)} vs {Number(primaryBaseline)}): it has learned nothing useful yet.\n");
        }
        return text.ToString();
    }

    private static string Number(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    // Names and marks are left-aligned, numbers right-aligned so their decimal points line up.
    private static string Line(string[] row, List<string[]> rows)
    {
        var cells = new string[row.Length];
        for (int c = 0; c < row.Length; c++)
        {
            int width = rows.Max(r => r[c].Length);
            cells[c] = c is 1 or 2 ? row[c].PadLeft(width) : row[c].PadRight(width);
        }
        return string.Join("  ", cells).TrimEnd();
    }
}
