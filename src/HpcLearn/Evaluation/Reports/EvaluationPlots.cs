using System.Globalization;
using ScottPlot;

namespace HpcLearn.Evaluation.Reports;

/// <summary>Plots from evaluation.json: confusion matrix, reliability diagram, per-group metric.</summary>
internal static class EvaluationPlots
{
    /// <summary>Heat map of the confusion matrix; colour is the share of the true class's rows, text the count.</summary>
    public static PlotImage Confusion(ConfusionReport c)
    {
        int k = c.Labels.Length;
        var share = new double[k, k];
        for (int t = 0; t < k; t++)
        {
            double total = c.Counts[t].Sum();
            for (int p = 0; p < k; p++) share[t, p] = total > 0 ? c.Counts[t][p] / total : 0;
        }
        var plot = PlotStyle.New("Confusion matrix (validation)", "predicted class", "true class");
        var map = plot.Add.Heatmap(share); // row 0 is drawn at the top, cell (t, p) centred on (p, k-1-t)
        map.Colormap = new ScottPlot.Colormaps.Reversed(new ScottPlot.Colormaps.Blues()); // dark = most of the class
        map.ManualRange = new ScottPlot.Range(0, 1);
        int fontSize = k <= 6 ? 16 : k <= 12 ? 12 : 9;
        for (int t = 0; t < k; t++)
            for (int p = 0; p < k; p++)
            {
                var text = plot.Add.Text(c.Counts[t][p].ToString(CultureInfo.InvariantCulture), p, k - 1 - t);
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontSize = fontSize;
                text.LabelBold = true;
                text.LabelFontColor = share[t, p] > 0.5 ? Colors.White : Colors.Black;
            }
        var positions = Enumerable.Range(0, k).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.SetTicks(positions, c.Labels);
        plot.Axes.Left.SetTicks(positions.Reverse().ToArray(), c.Labels);
        plot.Add.ColorBar(map).Label = "share of the true class";
        plot.HideGrid();
        plot.Axes.Margins(0, 0);
        int side = Math.Clamp(260 + 56 * k, 460, 1000);
        return PlotStyle.Render(plot, "confusion.png", "Confusion matrix on the validation split", side + 90, side);
    }

    /// <summary>Accuracy per confidence bin before and after temperature scaling, against the diagonal.</summary>
    public static PlotImage Reliability(CalibrationReport cal)
    {
        var plot = PlotStyle.New("Reliability diagram", "confidence (top-class probability)", "accuracy");
        AddBins(plot, cal.Before.Bins, -0.25, "before scaling", Colors.Orange);
        AddBins(plot, cal.After.Bins, +0.25, string.Create(CultureInfo.InvariantCulture, $"after scaling (T = {cal.Temperature:0.###})"), Colors.SteelBlue);
        var diagonal = plot.Add.Line(0, 0, 1, 1);
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.Color = Colors.Gray;
        diagonal.LineWidth = 2;
        diagonal.LegendText = "perfect calibration";
        plot.Axes.SetLimits(0, 1, 0, 1.02);
        plot.ShowLegend(Edge.Bottom);
        return PlotStyle.Render(plot, "reliability.png", "Reliability diagram before and after temperature scaling", 640, 500);
    }

    private static void AddBins(Plot plot, ReliabilityBin[] bins, double shift, string legend, Color color)
    {
        var bars = bins.Where(b => b.Count > 0 && double.IsFinite(b.Accuracy)).Select(b =>
        {
            double width = (b.Upper - b.Lower) / 2;
            return new Bar { Position = (b.Lower + b.Upper) / 2 + shift * width, Value = b.Accuracy, Size = width, FillColor = color, LineWidth = 0 };
        }).ToArray();
        if (bars.Length == 0) return;
        plot.Add.Bars(bars).LegendText = legend;
    }

    /// <summary>The primary metric per group (small groups grey), with the whole split's value as a line.</summary>
    public static PlotImage Groups(GroupReport g, string metric, double? overall)
    {
        var plot = PlotStyle.New($"{ReportText.MetricName(metric)} by {g.Column}", g.Column, ReportText.MetricName(metric));
        var bars = g.Rows.Select((r, i) => new Bar
        {
            Position = i,
            Value = r.Metrics.GetValueOrDefault(metric, double.NaN),
            FillColor = r.Small ? Colors.LightGray : Colors.SteelBlue,
            Size = 0.7,
        }).Where(b => double.IsFinite(b.Value)).ToArray();
        plot.Add.Bars(bars);
        bool line = overall is double all && double.IsFinite(all);
        if (line) plot.Add.HorizontalLine(overall!.Value, 2, Colors.DarkRed, LinePattern.Dashed); // explained in the caption: a legend would hide a bar
        var labels = g.Rows.Select(r => r.Small ? $"{r.Name} (small, n={r.Size})" : $"{r.Name} (n={r.Size})").ToArray();
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, g.Rows.Length).Select(i => (double)i).ToArray(), labels);
        if (g.Rows.Length > 5) plot.Axes.Bottom.TickLabelStyle.Rotation = -30;
        plot.Axes.Margins(bottom: 0);
        string caption = $"{ReportText.MetricName(metric)} per group of '{g.Column}'" + (line ? "; dashed line: all validation rows" : "") + "; grey: small groups";
        return PlotStyle.Render(plot, "groups.png", caption);
    }
}
