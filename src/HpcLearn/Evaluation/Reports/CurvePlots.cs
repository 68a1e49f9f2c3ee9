namespace HpcLearn.Evaluation.Reports;

/// <summary>Per-epoch plots from metrics.csv: losses, validation metrics, learning rate.</summary>
internal static class CurvePlots
{
    /// <summary>Train and validation loss per epoch.</summary>
    public static PlotImage Losses(EpochHistory h)
    {
        var plot = PlotStyle.New("Learning curves", "epoch", "loss");
        PlotStyle.Curve(plot, h.Epochs, h.TrainLoss, "train loss");
        PlotStyle.Curve(plot, h.Epochs, h.ValidLoss, "validation loss");
        PlotStyle.EpochTicks(plot, h.Epochs);
        plot.ShowLegend(ScottPlot.Edge.Bottom); // below the axes: a legend inside may hide a curve
        return PlotStyle.Render(plot, "loss.png", "Training and validation loss per epoch");
    }

    /// <summary>Every validation metric per epoch, or null when metrics.csv has none.</summary>
    public static PlotImage? Metrics(EpochHistory h)
    {
        if (h.Metrics.Count == 0) return null;
        var plot = PlotStyle.New("Validation metrics", "epoch", "value");
        foreach (var (name, values) in h.Metrics) PlotStyle.Curve(plot, h.Epochs, values, ReportText.MetricName(name));
        PlotStyle.EpochTicks(plot, h.Epochs);
        plot.ShowLegend(ScottPlot.Edge.Bottom);
        return PlotStyle.Render(plot, "metrics.png", "Validation metrics per epoch");
    }

    /// <summary>The learning rate at the end of each epoch.</summary>
    public static PlotImage LearningRate(EpochHistory h)
    {
        var plot = PlotStyle.New("Learning rate", "epoch", "learning rate");
        PlotStyle.Curve(plot, h.Epochs, h.LearningRate, null);
        PlotStyle.EpochTicks(plot, h.Epochs);
        return PlotStyle.Render(plot, "lr.png", "Learning rate per epoch (schedule)");
    }

    /// <summary>The validation loss of several runs on one axis.</summary>
    public static PlotImage CompareValidLoss(IReadOnlyList<ReportRun> runs, IReadOnlyList<string> labels)
    {
        var plot = PlotStyle.New("Validation loss", "epoch", "validation loss");
        for (int i = 0; i < runs.Count; i++)
        {
            var h = runs[i].History;
            bool hasValid = h.ValidLoss.Any(double.IsFinite);
            PlotStyle.Curve(plot, h.Epochs, hasValid ? h.ValidLoss : h.TrainLoss, hasValid ? labels[i] : labels[i] + " (train loss: no validation)");
        }
        plot.ShowLegend(ScottPlot.Edge.Bottom);
        return PlotStyle.Render(plot, "compare-valid-loss.png", "Validation loss per epoch, all runs", 800, 420);
    }
}
