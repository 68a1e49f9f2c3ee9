using System.Globalization;
using System.Text;

namespace HpcLearn.Evaluation.Reports;

/// <summary>Metrics per group, the gaps between groups and the fairness differences.</summary>
internal static class GroupsSection
{
    /// <summary>Appends the section.</summary>
    public static void Write(StringBuilder sb, GroupReport g, PlotImage? chart)
    {
        var metrics = g.Rows.SelectMany(r => r.Metrics.Keys).Distinct().ToList();
        bool rates = g.Rows.Any(r => r.PositiveRate is not null);
        sb.Append("<section id=\"groups\">\n<h2>Metrics per group</h2>\n");
        sb.Append(string.Create(CultureInfo.InvariantCulture,
            $"<p>Validation rows grouped by <b>{Html.E(g.Column)}</b>. Groups with fewer than {g.SmallGroupThreshold} rows are flagged " +
            $"<span class=\"badge\">small</span>: their metrics are shown but are too noisy to trust, and they are left out of the largest gap.</p>\n"));

        var header = new List<string> { "group", "rows" };
        header.AddRange(metrics.Select(m => ReportText.MetricName(m)));
        if (rates) header.AddRange(["positive rate", "true positive rate", "false positive rate"]);
        sb.Append("<div class=\"side\">\n<table>\n").HeaderRow([.. header]);
        foreach (var r in g.Rows)
        {
            sb.Append(r.Small ? "<tr class=\"small\">" : "<tr>")
              .Append("<td>").Append(Html.E(r.Name)).Append(r.Small ? "<span class=\"badge\">small</span>" : "").Append("</td>")
              .Append(string.Create(CultureInfo.InvariantCulture, $"<td class=\"num\">{r.Size}</td>"));
            foreach (var m in metrics) sb.Append(Html.MetricCell(r.Metrics.GetValueOrDefault(m, double.NaN)));
            if (rates) sb.Append(Cell(r.PositiveRate)).Append(Cell(r.TruePositiveRate)).Append(Cell(r.FalsePositiveRate));
            sb.Append("</tr>\n");
        }
        sb.Append("<tr class=\"gap\"><td>largest gap</td><td></td>");
        foreach (var m in metrics) sb.Append(Cell(g.LargestGap.TryGetValue(m, out var gap) ? gap : null));
        if (rates) sb.Append("<td></td><td></td><td></td>");
        sb.Append("</tr>\n</table>\n");
        if (chart is not null) sb.Append(Html.Figure(chart)).Append('\n');
        sb.Append("</div>\n");
        if (g.DemographicParityDifference is double dp)
            sb.Append($"<p>Demographic parity difference: <b>{Html.Metric(dp)}</b> — the largest gap between groups in the share of rows predicted " +
                      $"{Positive(g)}.</p>\n");
        if (g.EqualizedOddsDifference is double eo)
            sb.Append($"<p>Equalised odds difference: <b>{Html.Metric(eo)}</b> — the larger of the gaps between groups in true-positive and false-positive rate.</p>\n");
        sb.Append("</section>\n");
    }

    private static string Cell(double? v) => v is double d ? Html.MetricCell(d) : "<td class=\"num\">—</td>";

    private static string Positive(GroupReport g) => g.PositiveClass is { } p ? $"'{Html.E(p)}'" : "positive";
}
