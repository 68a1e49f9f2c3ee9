using HpcLearn.Evaluation.Reports;

namespace HpcLearn.Runs.Reports;

/// <summary>Every plot of one run's report, in page order.</summary>
internal static class ReportPlots
{
    /// <summary>Renders the plots that apply to <paramref name="run"/>.</summary>
    public static List<PlotImage> Render(ReportRun run)
    {
        var plots = new List<PlotImage>();
        var h = run.History;
        // The learning curves of tasks that log train/valid loss (the Learner's, text); the others draw their own.
        if (CurvePlots.HasLosses(h))
        {
            plots.Add(CurvePlots.Losses(h, run.Section?.LossReferences(run) ?? []));
            if (CurvePlots.Metrics(h) is { } metrics) plots.Add(metrics);
            if (h.Has("lr")) plots.Add(CurvePlots.LearningRate(h));
        }
        var eval = run.Evaluation;
        if (eval?.Confusion is { Labels.Length: > 0 } confusion) plots.Add(EvaluationPlots.Confusion(confusion));
        if (eval?.Calibration is { } calibration) plots.Add(EvaluationPlots.Reliability(calibration));
        if (PngFile.Read(run.PathOf("plots", TopLossesFile), TopLossesTitle, density: 1) is { } top) plots.Add(top);
        if (eval?.Groups is { Rows.Length: > 0 } groups && GroupMetric(run, groups) is { } metric)
            plots.Add(EvaluationPlots.Groups(groups, metric, run.Metrics.Where(m => m.Key == metric).Select(m => (double?)m.Value).FirstOrDefault()));
        if (run.Section is { } section) plots.AddRange(section.Plots(run));
        return plots;
    }

    /// <summary>File name of the top-losses grid under plots/ (an image task draws it; the report embeds it).</summary>
    public const string TopLossesFile = "top-losses.png";

    private const string TopLossesTitle = "Top losses: the validation examples the model is most confidently wrong about (predicted class and probability; true class and its probability)";

    /// <summary>The run's primary metric when the groups have it, else the groups' first metric.</summary>
    private static string? GroupMetric(ReportRun run, GroupReport groups)
    {
        var available = groups.Rows.SelectMany(r => r.Metrics.Keys).Distinct().ToList();
        return run.Primary is { } p && available.Contains(p) ? p : available.FirstOrDefault();
    }
}
