using System.Globalization;
using System.Text;

using HpcLearn.Evaluation;
using HpcLearn.Evaluation.Reports;

namespace HpcLearn.Runs.Reports;

/// <summary>The HTML of several runs side by side.</summary>
internal static class ComparePage
{
    /// <summary>The page: final metrics (best per row marked) and overlaid validation-loss curves.</summary>
    public static string Write(IReadOnlyList<ReportRun> runs, IReadOnlyList<string> labels, PlotImage curves, DateTime generatedUtc)
    {
        var sb = new StringBuilder(ReportStyle.Head($"HpcLearn: comparing {runs.Count} runs"));
        sb.Append(string.Create(CultureInfo.InvariantCulture, $"<header>\n<h1>Comparing {runs.Count} runs</h1>\n"));
        sb.Append("<p class=\"meta\">").Append(string.Join(" · ", runs.Select((r, i) => $"<b>{Html.E(labels[i])}</b> ({Html.E(r.Summary.Task)}, {Html.E(Path.GetFullPath(r.Dir))})")))
          .Append("</p>\n</header>\n");

        sb.Append("<section id=\"metrics\">\n<h2>Final metrics</h2>\n<table class=\"compare\">\n").HeaderRow(["metric", .. labels]);
        var metrics = runs.SelectMany(r => r.Metrics.Select(m => m.Key)).Distinct().ToList();
        foreach (var m in metrics)
        {
            var values = runs.Select(r => r.Metrics.Where(p => p.Key == m).Select(p => (double?)p.Value).FirstOrDefault()).ToList();
            double? best = Best(m, values);
            sb.Append($"<tr data-metric=\"{Html.E(m)}\"><td>{Html.E($"{ReportText.MetricName(m)} {ReportText.Direction(m)}".Trim())}</td>");
            foreach (var v in values)
                sb.Append(v is not double d ? "<td class=\"num\">—</td>"
                    : d == best ? $"<td class=\"num best\" data-value=\"{Html.Exact(d)}\" title=\"best\">★ {Html.Metric(d)}</td>"
                    : Html.MetricCell(d));
            sb.Append("</tr>\n");
        }
        sb.Append("<tr><td>beats its baseline</td>");
        foreach (var r in runs) sb.Append(r.Summary.BeatsBaseline ? "<td class=\"yes\">yes</td>" : "<td class=\"no\">no</td>");
        sb.Append("</tr>\n<tr><td>epochs</td>");
        foreach (var r in runs) sb.Append(string.Create(CultureInfo.InvariantCulture, $"<td class=\"num\">{r.Summary.Epochs}</td>"));
        sb.Append("</tr>\n</table>\n<p class=\"note\">★ marks the best value of each row (↑ higher is better, ↓ lower is better). " +
                  "Compare runs on the same data and split only.</p>\n</section>\n");

        sb.Append("<section id=\"curves\">\n<h2>Validation loss</h2>\n<div class=\"figures\">\n").Append(Html.Figure(curves)).Append("\n</div>\n</section>\n");
        sb.Append(ReportStyle.Foot(generatedUtc, Provenance.CurrentVersion));
        return sb.ToString();
    }

    /// <summary>The best value in a row, or null when the metric's direction is unknown or fewer than two runs have it.</summary>
    private static double? Best(string metric, List<double?> values)
    {
        var present = values.OfType<double>().Where(double.IsFinite).ToList();
        if (!MetricInfo.IsKnown(metric) || present.Count < 2) return null;
        return MetricInfo.HigherIsBetter(metric) ? present.Max() : present.Min();
    }
}
