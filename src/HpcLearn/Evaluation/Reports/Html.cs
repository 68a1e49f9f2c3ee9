using System.Globalization;
using System.Net;
using System.Text;

namespace HpcLearn.Evaluation.Reports;

/// <summary>Small HTML helpers: every user string goes through <see cref="E"/>.</summary>
internal static class Html
{
    /// <summary>HTML-escapes text for element content and quoted attributes.</summary>
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>A metric as shown in tables: 4 decimals, "—" for NaN.</summary>
    public static string Metric(double v) => double.IsNaN(v) ? "—"
        : Math.Abs(v) >= 1e5 ? v.ToString("G6", CultureInfo.InvariantCulture)
        : v.ToString("F4", CultureInfo.InvariantCulture);

    /// <summary>A general number (data card statistics): up to 4 significant decimals.</summary>
    public static string Num(double? v) => v is not double d ? "" : double.IsNaN(d) ? "—"
        : Math.Abs(d) >= 1e6 || (d != 0 && Math.Abs(d) < 1e-3) ? d.ToString("G4", CultureInfo.InvariantCulture)
        : d.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>The exact value, for a data-value attribute that scripts and tests can read back.</summary>
    public static string Exact(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A table cell holding a metric, with its exact value in data-value.</summary>
    public static string MetricCell(double v, string cssClass = "num") =>
        $"<td class=\"{cssClass}\" data-value=\"{Exact(v)}\">{Metric(v)}</td>";

    /// <summary>A figure with the PNG embedded as a data URI (no file or network fetch).</summary>
    public static string Figure(PlotImage image) =>
        $"<figure><img src=\"data:image/png;base64,{Convert.ToBase64String(image.Png)}\" alt=\"{E(image.Title)}\" " +
        $"width=\"{image.Width}\" height=\"{image.Height}\"><figcaption>{E(image.Title)}</figcaption></figure>";

    /// <summary>Appends a header row.</summary>
    public static StringBuilder HeaderRow(this StringBuilder sb, params string[] cells)
    {
        sb.Append("<tr>");
        foreach (var c in cells) sb.Append("<th>").Append(E(c)).Append("</th>");
        return sb.Append("</tr>\n");
    }
}
