using HpcLearn.Runs;
using HpcLearn.Training;

using HpcLearn.Evaluation.Reports;

namespace HpcLearn.Runs.Reports;

/// <summary>
/// The run report: one self-contained <c>report.html</c> per run folder (inline CSS, plots as
/// embedded PNGs, no network requests) plus the plots as files in <c>plots/</c>; and a page
/// that lays several runs side by side. Plots are drawn with ScottPlot.
/// </summary>
public static class RunReport
{
    /// <summary>File name of the report in a run folder.</summary>
    public const string FileName = "report.html";

    /// <summary>Default output of <see cref="Compare"/>.</summary>
    public const string CompareFileName = "report-compare.html";

    /// <summary>
    /// (Re)builds <c>report.html</c> and <c>plots/*.png</c> in <paramref name="runDir"/> from its
    /// summary.json, metrics.csv, config.yaml and, when present, evaluation.json and model/model.json.
    /// </summary>
    /// <returns>The path of report.html.</returns>
    /// <exception cref="UserError">The folder or one of its required files is missing or malformed; the message names it.</exception>
    public static string Build(string runDir)
    {
        ArgumentNullException.ThrowIfNull(runDir);
        var run = RunFolderReader.Read(runDir);
        var plots = ReportPlots.Render(run);
        string plotDir = Path.Combine(runDir, "plots");
        WriteFailure.CreateDirectory(plotDir);
        foreach (var p in plots) AtomicFile.WriteAllBytes(Path.Combine(plotDir, p.FileName), p.Png);
        string path = Path.Combine(runDir, FileName);
        AtomicFile.WriteAllText(path, ReportPage.Write(run, plots.ToDictionary(p => p.FileName), DateTime.UtcNow));
        return path;
    }

    /// <summary>
    /// Writes one page comparing <paramref name="runDirs"/>: final metrics (runs as columns, the
    /// best value per metric marked) and their validation-loss curves on one plot.
    /// </summary>
    /// <returns>The path of the page written.</returns>
    /// <exception cref="UserError">Fewer than two folders, or one is missing or malformed.</exception>
    public static string Compare(IReadOnlyList<string> runDirs, string outPath)
    {
        ArgumentNullException.ThrowIfNull(runDirs);
        ArgumentNullException.ThrowIfNull(outPath);
        if (runDirs.Count < 2)
            throw new UserError($"--compare needs at least two run folders, got {runDirs.Count}; e.g. hpclearn report --compare runs/a runs/b");
        var runs = runDirs.Select(RunFolderReader.Read).ToList();
        // Folder names label the columns; when two runs share a name (runs/a/x, runs/b/x) the paths as given do.
        var labels = runs.Select(r => r.Name).Distinct().Count() == runs.Count ? runs.Select(r => r.Name).ToList() : runDirs.ToList();
        string html = ComparePage.Write(runs, labels, CurvePlots.CompareValidLoss(runs, labels), DateTime.UtcNow);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(outPath));
        if (folder is not null) WriteFailure.CreateDirectory(folder);
        AtomicFile.WriteAllText(outPath, html);
        return outPath;
    }
}
