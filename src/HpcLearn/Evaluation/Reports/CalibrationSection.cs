using System.Globalization;
using System.Text;

namespace HpcLearn.Evaluation.Reports;

/// <summary>Calibration before and after temperature scaling, with the reliability diagram.</summary>
internal static class CalibrationSection
{
    /// <summary>Appends the section.</summary>
    public static void Write(StringBuilder sb, CalibrationReport cal, PlotImage diagram)
    {
        sb.Append("<section id=\"calibration\">\n<h2>Calibration</h2>\n");
        sb.Append(string.Create(CultureInfo.InvariantCulture,
            $"<p>Temperature scaling divides the logits by <b>T = {cal.Temperature:0.####}</b>, fitted on {Html.E(cal.FittedOn)}. " +
            $"It changes how confident the model is, not which class it predicts. Lower is better for every measure below except accuracy.</p>\n"));
        sb.Append("<div class=\"side\">\n<table>\n").HeaderRow("measure", "before", "after", "change");
        Row(sb, "ECE (15 equal-width bins)", cal.Before.Ece, cal.After.Ece);
        Row(sb, "Adaptive ECE (15 equal-mass bins)", cal.Before.AdaptiveEce, cal.After.AdaptiveEce);
        Row(sb, "MCE (largest bin gap)", cal.Before.Mce, cal.After.Mce);
        Row(sb, "Brier score", cal.Before.Brier, cal.After.Brier);
        Row(sb, "NLL (log loss)", cal.Before.Nll, cal.After.Nll);
        Row(sb, "Accuracy", cal.Before.Accuracy, cal.After.Accuracy);
        sb.Append("</table>\n").Append(Html.Figure(diagram)).Append("\n</div>\n");
        Bins(sb, cal);
        sb.Append("</section>\n");
    }

    // The rows behind each bar: an ECE of 0.0000 over three bins of a handful of rows says little.
    private static void Bins(StringBuilder sb, CalibrationReport cal)
    {
        sb.Append("<table>\n").HeaderRow("confidence bin", "rows before", "accuracy before", "rows after", "accuracy after");
        for (int b = 0; b < cal.Before.Bins.Length; b++)
        {
            var x = cal.Before.Bins[b];
            var y = b < cal.After.Bins.Length ? cal.After.Bins[b] : x;
            if (x.Count == 0 && y.Count == 0) continue;
            sb.Append(string.Create(CultureInfo.InvariantCulture,
                $"<tr><td>{x.Lower:0.00}–{x.Upper:0.00}</td><td class=\"num\">{x.Count}</td>{Html.MetricCell(x.Accuracy)}<td class=\"num\">{y.Count}</td>{Html.MetricCell(y.Accuracy)}</tr>\n"));
        }
        sb.Append("</table>\n");
    }

    private static void Row(StringBuilder sb, string name, double before, double after)
    {
        double change = after - before;
        string sign = double.IsNaN(change) ? "" : change > 0 ? "+" : "";
        sb.Append($"<tr><td>{Html.E(name)}</td>{Html.MetricCell(before)}{Html.MetricCell(after)}<td class=\"num\">{sign}{Html.Metric(change)}</td></tr>\n");
    }
}
