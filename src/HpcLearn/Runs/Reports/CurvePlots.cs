using HpcLearn.Evaluation.Reports;
using HpcLearn.Runs.Metrics;

namespace HpcLearn.Runs.Reports;

/// <summary>Learning curves from metrics.csv: losses, validation metrics, learning rate, against the epoch (or the step where there are no epochs).</summary>
internal static class CurvePlots
{
    private static readonly HashSet<string> NotMetrics = ["train_loss", "valid_loss", "lr", "seconds"];

    /// <summary>Whether the log has the train/validation loss columns these curves draw.</summary>
    public static bool HasLosses(MetricsHistory h) => h.Has("train_loss") || h.Has("valid_loss");

    /// <summary>Train and validation loss, with <paramref name="references"/> as dashed horizontal lines.</summary>
    public static PlotImage Losses(MetricsHistory h, IReadOnlyList<(string Label, double Value)> references)
    {
        var plot = PlotStyle.New("Learning curves", h.XName, "loss");
        PlotStyle.Curve(plot, h.X, Column(h, "train_loss"), "train loss");
        PlotStyle.Curve(plot, h.X, Column(h, "valid_loss"), "validation loss");
        foreach (var (label, value) in references)
        {
            if (!double.IsFinite(value)) continue;
            var line = plot.Add.HorizontalLine(value);
            line.LegendText = label;
            line.LinePattern = ScottPlot.LinePattern.Dashed;
        }
        Ticks(plot, h);
        plot.ShowLegend(ScottPlot.Edge.Bottom); // below the axes: a legend inside may hide a curve
        return PlotStyle.Render(plot, "loss.png", $"Training and validation loss per {h.XName}");
    }

    /// <summary>Every validation metric, or null when metrics.csv has none.</summary>
    public static PlotImage? Metrics(MetricsHistory h)
    {
        var metrics = h.Columns.Where(c => !NotMetrics.Contains(c.Key) && c.Value.Any(double.IsFinite)).ToList();
        if (metrics.Count == 0) return null;
        var plot = PlotStyle.New("Validation metrics", h.XName, "value");
        foreach (var (name, values) in metrics) PlotStyle.Curve(plot, h.X, values, ReportText.MetricName(name));
        Ticks(plot, h);
        plot.ShowLegend(ScottPlot.Edge.Bottom);
        return PlotStyle.Render(plot, "metrics.png", $"Validation metrics per {h.XName}");
    }

    /// <summary>The learning rate at each row.</summary>
    public static PlotImage LearningRate(MetricsHistory h)
    {
        var plot = PlotStyle.New("Learning rate", h.XName, "learning rate");
        PlotStyle.Curve(plot, h.X, Column(h, "lr"), null);
        Ticks(plot, h);
        return PlotStyle.Render(plot, "lr.png", $"Learning rate per {h.XName} (schedule)");
    }

    /// <summary>The validation loss of several runs on one axis (the training loss of a run without validation).</summary>
    public static PlotImage CompareValidLoss(IReadOnlyList<ReportRun> runs, IReadOnlyList<string> labels)
    {
        string x = runs.All(r => r.History.HasEpochs) ? "epoch" : "step";
        var plot = PlotStyle.New("Validation loss", x, "validation loss");
        for (int i = 0; i < runs.Count; i++)
        {
            var h = runs[i].History;
            bool hasValid = h.Has("valid_loss");
            var xs = x == "epoch" ? h.Epoch : h.Step;
            PlotStyle.Curve(plot, xs, hasValid ? Column(h, "valid_loss") : Column(h, "train_loss"), hasValid ? labels[i] : labels[i] + " (train loss: no validation)");
        }
        plot.ShowLegend(ScottPlot.Edge.Bottom);
        return PlotStyle.Render(plot, "compare-valid-loss.png", $"Validation loss per {x}, all runs", 800, 420);
    }

    private static double[] Column(MetricsHistory h, string name) => h.Column(name) ?? [];

    private static void Ticks(ScottPlot.Plot plot, MetricsHistory h)
    {
        if (h.HasEpochs) PlotStyle.EpochTicks(plot, h.Epoch);
    }
}
