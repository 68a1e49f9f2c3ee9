using System.Globalization;
using System.Text;

using HpcLearn.Evaluation;
using HpcLearn.Evaluation.Reports;

namespace HpcLearn.Runs.Reports;

/// <summary>The HTML of one run's report.</summary>
internal static class ReportPage
{
    /// <summary>The page for <paramref name="run"/> with its plots, keyed by file name.</summary>
    public static string Write(ReportRun run, IReadOnlyDictionary<string, PlotImage> plots, DateTime generatedUtc)
    {
        var sb = new StringBuilder(ReportStyle.Head($"HpcLearn report: {run.Name}"));
        Header(sb, run);
        MetricsSection.Write(sb, run);

        var eval = run.Evaluation;
        if (eval?.DataCard is { } card) DataCardSection.Write(sb, card);

        if (HasCurves(run))
        {
            sb.Append("<section id=\"curves\">\n<h2>Learning curves</h2>\n<div class=\"figures\">\n");
            foreach (var file in CurveFiles)
                if (plots.TryGetValue(file, out var image)) sb.Append(Html.Figure(image)).Append('\n');
            sb.Append("</div>\n</section>\n");
        }
        run.Section?.Write(sb, run, plots);

        // The classifier tasks write evaluation.json; say what its absence leaves out, but not for tasks that never write one.
        if (eval is null && run.Section is null)
            sb.Append($"<p class=\"note\" id=\"no-evaluation\">This run folder has no {RunFolderReader.EvaluationFile}, so the data card, " +
                      "confusion matrix, calibration and per-group sections are not shown.</p>\n");
        if (eval?.Confusion is not null && plots.TryGetValue("confusion.png", out var confusion))
        {
            sb.Append("<section id=\"confusion\">\n<h2>Confusion matrix</h2>\n<p class=\"note\">Rows are the true class, columns the predicted one; " +
                      "the colour is the share of the true class's rows, the number the count.</p>\n")
              .Append(Html.Figure(confusion)).Append('\n');
            if (eval.PerClass is { } perClass) PerClassTable(sb, perClass);
            sb.Append("</section>\n");
        }
        if (plots.TryGetValue(ReportPlots.TopLossesFile, out var top))
            sb.Append("<section id=\"top-losses\">\n<h2>Top losses</h2>\n").Append(Html.Figure(top)).Append("\n</section>\n");
        if (eval?.Calibration is { } cal) CalibrationSection.Write(sb, cal, plots["reliability.png"]);
        if (eval?.Groups is { } groups) GroupsSection.Write(sb, groups, plots.GetValueOrDefault("groups.png"));

        sb.Append("<section id=\"config\">\n<h2>Resolved config</h2>\n");
        sb.Append(run.ConfigYaml is { } yaml ? $"<pre>{Html.E(yaml)}</pre>\n" : "<p class=\"note\">This run folder has no config.yaml.</p>\n");
        sb.Append("</section>\n");
        sb.Append(ReportStyle.Foot(generatedUtc, Provenance.CurrentVersion));
        return sb.ToString();
    }

    // The generic learning curves, in page order; a task section draws its own files.
    private static readonly string[] CurveFiles = ["loss.png", "metrics.png", "lr.png"];

    private static bool HasCurves(ReportRun run) => CurvePlots.HasLosses(run.History);

    private static void PerClassTable(StringBuilder sb, PerClassReport perClass)
    {
        sb.Append("<table class=\"per-class\">\n").HeaderRow("class", "precision", "recall", "support");
        foreach (var r in perClass.Rows)
            sb.Append("<tr><td>").Append(Html.E(r.Label)).Append("</td><td>")
              .Append(r.Precision.ToString("F4", CultureInfo.InvariantCulture)).Append("</td><td>")
              .Append(r.Recall.ToString("F4", CultureInfo.InvariantCulture)).Append("</td><td>")
              .Append(r.Support.ToString(CultureInfo.InvariantCulture)).Append("</td></tr>\n");
        sb.Append("</table>\n");
    }

    private static void Header(StringBuilder sb, ReportRun run)
    {
        var s = run.Summary;
        sb.Append($"<header>\n<h1>Run report: {Html.E(run.Name)}</h1>\n");
        sb.Append($"<p class=\"meta\">task <b>{Html.E(s.Task)}</b>");
        if (run.FinishedUtc is DateTime t)
            sb.Append(" · trained <b>").Append(t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)).Append(" UTC</b>");
        sb.Append($" · HpcLearn <b>{Html.E(run.Version ?? "version unknown")}</b>");
        sb.Append($" · folder <b>{Html.E(Path.GetFullPath(run.Dir))}</b></p>\n");
        sb.Append("<nav><a href=\"#metrics\">Metrics</a>");
        var e = run.Evaluation;
        if (e?.DataCard is not null) sb.Append("<a href=\"#data-card\">Data card</a>");
        if (HasCurves(run)) sb.Append("<a href=\"#curves\">Learning curves</a>");
        if (run.Section is { } section) sb.Append($"<a href=\"#{section.Id}\">{Html.E(section.Title)}</a>");
        if (e?.Confusion is not null) sb.Append("<a href=\"#confusion\">Confusion matrix</a>");
        if (File.Exists(run.PathOf("plots", ReportPlots.TopLossesFile))) sb.Append("<a href=\"#top-losses\">Top losses</a>");
        if (e?.Calibration is not null) sb.Append("<a href=\"#calibration\">Calibration</a>");
        if (e?.Groups is not null) sb.Append("<a href=\"#groups\">Groups</a>");
        sb.Append("<a href=\"#config\">Config</a></nav>\n</header>\n");
    }
}
