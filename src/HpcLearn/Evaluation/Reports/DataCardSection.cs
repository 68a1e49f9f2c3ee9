using System.Globalization;
using System.Text;

namespace HpcLearn.Evaluation.Reports;

/// <summary>The data card: sizes, warnings, columns and class balance.</summary>
internal static class DataCardSection
{
    /// <summary>Appends the section.</summary>
    public static void Write(StringBuilder sb, DataCard card)
    {
        sb.Append("<section id=\"data-card\">\n<h2>Data card</h2>\n");
        sb.Append(string.Create(CultureInfo.InvariantCulture,
            $"<p>Source <b>{Html.E(card.Source)}</b>: {card.Rows} rows, {card.TrainRows} for training and {card.ValidRows} for validation; " +
            $"{card.DuplicatesAcrossSplits} validation rows repeat a training row's features.</p>\n"));
        if (card.Warnings.Length > 0)
        {
            sb.Append("<ul class=\"warnings\">\n");
            foreach (var w in card.Warnings) sb.Append("<li>").Append(Html.E(w)).Append("</li>\n");
            sb.Append("</ul>\n");
        }
        else sb.Append("<p class=\"note\">No warnings: no leakage between the splits, constant columns, heavy missingness or strong imbalance found.</p>\n");

        sb.Append("<div class=\"side\">\n<div>\n<h3>Columns</h3>\n<table>\n")
          .HeaderRow("column", "role", "kind", "missing", "distinct", "min", "max", "mean");
        foreach (var c in card.Columns)
            sb.Append(string.Create(CultureInfo.InvariantCulture,
                $"<tr><td>{Html.E(c.Name)}</td><td>{Html.E(c.Role)}</td><td>{Html.E(c.Kind)}</td><td class=\"num\">{c.Missing}</td>" +
                $"<td class=\"num\">{c.Distinct}</td><td class=\"num\">{Html.Num(c.Min)}</td><td class=\"num\">{Html.Num(c.Max)}</td><td class=\"num\">{Html.Num(c.Mean)}</td></tr>\n"));
        sb.Append("</table>\n</div>\n");

        if (card.ClassBalance is { Count: > 0 } balance)
        {
            double total = balance.Values.Sum();
            sb.Append("<div>\n<h3>Class balance</h3>\n<table>\n").HeaderRow("class", "rows", "share");
            foreach (var (label, rows) in balance.OrderByDescending(p => p.Value))
                sb.Append(string.Create(CultureInfo.InvariantCulture,
                    $"<tr><td>{Html.E(label)}</td><td class=\"num\">{rows}</td><td class=\"num\">{(total > 0 ? rows / total : 0):P1}</td></tr>\n"));
            sb.Append("</table>\n</div>\n");
        }
        sb.Append("</div>\n</section>\n");
    }
}
