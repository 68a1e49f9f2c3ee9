using System.Globalization;
using System.Text;
using HpcLearn.Cluster.Sweeps;
using HpcLearn.Training;

namespace HpcLearn.Cli.Commands;

/// <summary>The plain text of <c>hpclearn status</c>.</summary>
internal static class StatusText
{
    /// <summary>One run: folder, job, progress, checkpoint, last epoch, result.</summary>
    public static string Run(RunStatus run, string? job)
    {
        var s = new StringBuilder();
        Line(s, "run", run.Folder);
        if (job is not null) Line(s, "job", job);
        Line(s, "progress", Progress(run));
        if (run.Checkpoint is { } c)
            Line(s, "checkpoint", $"{Path.GetFileName(c.Path)} (step {c.Step}, written {c.CreatedUtc:yyyy-MM-dd HH:mm:ss} UTC)");
        foreach (var skipped in run.SkippedCheckpoints) Line(s, "warning", $"checkpoint {skipped}");
        if (run.LastMetrics is { } m)
            Line(s, "last epoch", string.Join(", ", m.Where(p => p.Key != "epoch").Select(p => $"{p.Key} {p.Value}")));
        if (run.Summary is { } summary)
        {
            var primary = summary.PrimaryMetric ?? summary.Metrics.Keys.FirstOrDefault();
            if (primary is not null && summary.Metrics.TryGetValue(primary, out double v))
                Line(s, "result", $"{primary} {v.ToString("G4", CultureInfo.InvariantCulture)}" +
                    (summary.Baseline.TryGetValue(primary, out double b) ? $" (baseline {b.ToString("G4", CultureInfo.InvariantCulture)})" : "") +
                    $"; model in {Path.Combine(run.Folder, "model")}");
        }
        return s.ToString();
    }

    /// <summary>A sweep: the array job, then one line per point.</summary>
    public static string Sweep(string folder, IReadOnlyList<SweepPoint> points, string? job)
    {
        var s = new StringBuilder();
        Line(s, "sweep", $"{folder} ({points.Count} points)");
        if (job is not null) Line(s, "job", job);
        foreach (var p in points)
        {
            var run = RunStatus.Read(Path.Combine(folder, p.Index.ToString(CultureInfo.InvariantCulture)));
            s.Append(CultureInfo.InvariantCulture, $"  {p.Index,3}  {Progress(run)}  [{p}]\n");
        }
        return s.ToString();
    }

    private static string Progress(RunStatus run)
    {
        if (run.Summary is { } summary) return $"finished, {summary.Epochs} epochs";
        if (run.Checkpoint is not { } c) return "not started (no checkpoint yet)";
        string of = c.Plan is { } plan ? $" of {plan.LastEpoch}" : "";
        string within = c.Progress is { Batches: > 0 } p ? $", {p.Batches} batches into epoch {c.Epoch + 1}" : "";
        return $"epoch {c.Epoch}{of} done{within}";
    }

    private static void Line(StringBuilder s, string label, string text) => s.Append($"{label + ":",-12}{text}\n");
}
