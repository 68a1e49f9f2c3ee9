namespace HpcLearn.Evaluation.Reports;

/// <summary>Every plot of one run's report, in page order.</summary>
internal static class ReportPlots
{
    /// <summary>Renders the plots that apply to <paramref name="run"/>.</summary>
    public static List<PlotImage> Render(ReportRun run)
    {
        var plots = new List<PlotImage> { CurvePlots.Losses(run.History) };
        if (CurvePlots.Metrics(run.History) is { } metrics) plots.Add(metrics);
        plots.Add(CurvePlots.LearningRate(run.History));
        var eval = run.Evaluation;
        if (eval?.Confusion is { Labels.Length: > 0 } confusion) plots.Add(EvaluationPlots.Confusion(confusion));
        if (eval?.Calibration is { } calibration) plots.Add(EvaluationPlots.Reliability(calibration));
        if (TopLosses(run.Dir) is { } top) plots.Add(top);
        if (eval?.Groups is { Rows.Length: > 0 } groups && GroupMetric(run, groups) is { } metric)
            plots.Add(EvaluationPlots.Groups(groups, metric, run.Metrics.Where(m => m.Key == metric).Select(m => (double?)m.Value).FirstOrDefault()));
        return plots;
    }

    /// <summary>The top-losses grid an image task wrote into plots/ (not drawn here), or null.</summary>
    private static PlotImage? TopLosses(string runDir)
    {
        string path = Path.Combine(runDir, "plots", TopLossesFile);
        if (!File.Exists(path)) return null;
        byte[] png = File.ReadAllBytes(path);
        if (png.Length < 24) return null;
        // The PNG's IHDR chunk: width and height, big-endian, at bytes 16 and 20.
        int width = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16));
        int height = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20));
        return new PlotImage(TopLossesFile, "Top losses: the validation examples the model is most confidently wrong about (predicted class and probability; true class and its probability)", png, width, height);
    }

    /// <summary>File name of the top-losses grid under plots/.</summary>
    public const string TopLossesFile = "top-losses.png";

    /// <summary>The run's primary metric when the groups have it, else the groups' first metric.</summary>
    private static string? GroupMetric(ReportRun run, GroupReport groups)
    {
        var available = groups.Rows.SelectMany(r => r.Metrics.Keys).Distinct().ToList();
        return run.Primary is { } p && available.Contains(p) ? p : available.FirstOrDefault();
    }
}
