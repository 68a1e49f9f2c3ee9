using System.Globalization;
using System.Text;

using HpcLearn.Evaluation;
using HpcLearn.Evaluation.Reports;

namespace HpcLearn.Runs.Reports;

/// <summary>The final metrics beside the trivial baseline's, and a plain verdict.</summary>
internal static class MetricsSection
{
    /// <summary>Text of the verdict when the model loses; tests look for it.</summary>
    public const string NotBeating = "The model does not beat its baseline";

    /// <summary>Appends the section.</summary>
    public static void Write(StringBuilder sb, ReportRun run)
    {
        var s = run.Summary;
        sb.Append("<section id=\"metrics\">\n<h2>Final metrics against the baseline</h2>\n");
        sb.Append("<table class=\"metrics\">\n").HeaderRow("metric", "model", "baseline", "model better?");
        foreach (var (name, value) in run.Section?.Metrics(run) ?? run.Metrics)
        {
            bool hasBaseline = s.Baseline.TryGetValue(name, out double b);
            string better = !hasBaseline || !MetricInfo.IsKnown(name) ? "<td></td>"
                : MetricInfo.Beats(name, value, b) ? "<td class=\"yes\">yes</td>" : "<td class=\"no\">no</td>";
            string label = Html.E($"{ReportText.MetricName(name)} {ReportText.Direction(name)}".Trim())
                + (name == run.Primary ? "<span class=\"badge\">primary</span>" : "");
            sb.Append($"<tr data-metric=\"{Html.E(name)}\"><td>{label}</td>{Html.MetricCell(value)}")
              .Append(hasBaseline ? Html.MetricCell(b) : "<td class=\"num\">—</td>").Append(better).Append("</tr>\n");
        }
        sb.Append("</table>\n");
        if (s.BaselineDescription.Length > 0)
            sb.Append($"<p class=\"note\">Baseline: {Html.E(s.BaselineDescription)}. ↑ higher is better, ↓ lower is better.</p>\n");
        sb.Append(Verdict(run)).Append('\n');
        sb.Append($"<p class=\"note\">{Html.E(Timings(run))}</p>\n</section>\n");
    }

    /// <summary>One sentence: whether the model beats its baseline on the primary metric.</summary>
    public static string Verdict(ReportRun run)
    {
        string? primary = run.Primary;
        if (primary is null || !run.Summary.Baseline.TryGetValue(primary, out double baseline))
            return "<p class=\"verdict neutral\" id=\"baseline-verdict\">No baseline was recorded for this run, so there is nothing to compare the model with.</p>";
        double model = run.Metrics.First(m => m.Key == primary).Value;
        bool beats = MetricInfo.IsKnown(primary) ? MetricInfo.Beats(primary, model, baseline) : run.Summary.BeatsBaseline;
        string name = ReportText.MetricName(primary);
        string what = run.Summary.BaselineDescription.Length > 0 ? $", {run.Summary.BaselineDescription}" : "";
        return beats
            ? $"<p class=\"verdict good\" id=\"baseline-verdict\">The model beats its baseline on {Html.E(name)}: {Html.Metric(model)} against {Html.Metric(baseline)}.</p>"
            : $"<p class=\"verdict bad\" id=\"baseline-verdict\">{NotBeating} on {Html.E(name)}, its primary metric: {Html.Metric(model)} against " +
              $"{Html.Metric(baseline)} for the trivial baseline{Html.E(what)}. Its predictions are no better than that rule; " +
              "check the data, the features and the training settings before relying on them.</p>";
    }

    private static string Timings(ReportRun run)
    {
        var s = run.Summary;
        var parts = new List<string>();
        if ((run.Section is { } section ? section.Progress(run) : $"{s.Epochs} epochs") is { } progress) parts.Add(progress);
        if (s.StopReason is { Length: > 0 } reason) parts.Add($"stopped early: {reason}");
        foreach (var (key, seconds) in s.Timings) parts.Add(string.Create(CultureInfo.InvariantCulture, $"{key.Replace("_seconds", "").Replace('_', ' ')} {seconds:0.##} s"));
        if (s.Threads > 0) parts.Add($"{s.Threads} threads");
        return string.Join(" · ", parts);
    }
}
