using System.Globalization;
using System.Text;
using HpcLearn.Cluster.Slurm;
using HpcLearn.Config;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Cli.Commands;

/// <summary>The plain text of <c>hpclearn status</c>.</summary>
internal static class StatusText
{
    /// <summary>What status knows of a run's job.</summary>
    /// <param name="Line">The job line: id, states, why it pends, time left, end.</param>
    /// <param name="Accounting">sacct's line once the job ended (or why there is none); null while it runs.</param>
    /// <param name="Restarts">How often Slurm started it again; null when unknown.</param>
    /// <param name="Tasks">An array's task states by index.</param>
    /// <param name="State">A plain job's state, or null.</param>
    public sealed record JobView(string Line, string? Accounting, int? Restarts, IReadOnlyDictionary<int, string> Tasks, string? State);

    /// <summary>One run: folder, job, progress, failure, checkpoint, last epoch, result.</summary>
    public static string Run(RunStatus run, JobView? job)
    {
        var s = new StringBuilder();
        Line(s, "run", run.Folder);
        if (job is not null)
        {
            Line(s, "job", job.Line);
            if (job.Restarts is { } n) Line(s, "restarts", n.ToString(CultureInfo.InvariantCulture));
            if (job.Accounting is { } a) Line(s, "accounting", a);
        }
        Line(s, "progress", Progress(run, job?.State));
        if (run.Failure is { } f)
        {
            Line(s, "error", f.Reason ?? "(no message)");
            Line(s, "failed at", $"{f.EndedUtc:yyyy-MM-dd HH:mm:ss} UTC on {f.Host}, attempt {f.Attempt}" + (f.JobId is { } j ? $", job {j}" : ""));
        }
        else if (run.Summary is null && run.InUse is null && run.Attempts.LastOrDefault() is { Outcome: RunAttempt.Stopped } stop)
            Line(s, "stopped", $"{stop.Reason ?? "stopped"} at {stop.EndedUtc:yyyy-MM-dd HH:mm:ss} UTC (attempt {stop.Attempt}, exit code 3); its checkpoint continues it");
        if (run.Checkpoint is { } c)
            Line(s, "checkpoint", $"{Path.GetFileName(c.Path)} (step {c.Step}, written {c.CreatedUtc:yyyy-MM-dd HH:mm:ss} UTC)");
        else if (run.OtherCheckpoint is { } other)
            Line(s, "checkpoint", $"{Path.GetFileName(other)} (written {File.GetLastWriteTimeUtc(other):yyyy-MM-dd HH:mm:ss} UTC)");
        foreach (var skipped in run.SkippedCheckpoints) Line(s, "warning", $"checkpoint {skipped}");
        if (run.LastMetrics is { } m)
            Line(s, m.ContainsKey("epoch") ? "last epoch" : "last step", string.Join(", ", m.Where(p => p.Key != "epoch").Select(p => $"{p.Key} {p.Value}")));
        if (run.Summary is { } summary)
        {
            var primary = summary.PrimaryMetric ?? summary.Metrics.Keys.FirstOrDefault();
            if (primary is not null && summary.Metrics.TryGetValue(primary, out double v))
                Line(s, "result", $"{primary} {v.ToString("G4", CultureInfo.InvariantCulture)}" +
                    (summary.Baseline.TryGetValue(primary, out double b) ? $" (baseline {b.ToString("G4", CultureInfo.InvariantCulture)})" : "") +
                    $"; model in {Path.Combine(run.Folder, "model")}");
        }
        if (run.Inputs is { } inputs) Line(s, "inputs", inputs.Summary);
        return s.ToString();
    }

    /// <summary>A sweep: the array job, then one line per point, then the failed points and how to rerun them.</summary>
    public static string Sweep(string folder, IReadOnlyList<SweepPoint> points, JobView? job)
    {
        var s = new StringBuilder();
        Line(s, "sweep", $"{folder} ({points.Count} points)");
        var tasks = job?.Tasks ?? new Dictionary<int, string>();
        if (job is not null)
        {
            Line(s, "job", job.Line);
            if (job.Accounting is { } a) Line(s, "accounting", a);
        }
        foreach (var p in points)
        {
            var run = RunStatus.Read(SweepJobs.PointDir(folder, p.Index));
            string progress = Progress(run, tasks.GetValueOrDefault(p.Index));
            if (run.Summary is null && run.Failure is { } f && !SweepFailures.Live.Contains(tasks.GetValueOrDefault(p.Index) ?? "")) progress += $": {f.Reason}";
            s.Append(CultureInfo.InvariantCulture, $"  {p.Index,3}  {progress}  [{p}]\n");
        }
        var failed = SweepFailures.Find(folder, points, tasks);
        if (failed.Count > 0)
            Line(s, "failed", $"{(failed.Count == 1 ? "point" : "points")} {string.Join(", ", failed.Select(f => f.Index))}; " +
                $"rerun {(failed.Count == 1 ? "it" : "them")}: hpclearn sweep --rerun-failed {folder}");
        return s.ToString();
    }

    // Finished, failed (failure.json, or a task Slurm ended), or how far it is, from the newest
    // checkpoint, else metrics.csv, so that it never says "not started" beside a metrics line.
    internal static string Progress(RunStatus run, string? slurmState)
    {
        // failure.json goes when an attempt starts: when it is there, the latest attempt failed.
        if (run.Summary is { } summary)
            return $"finished, {summary.Epochs} epochs" + (run.Failure is { } later ? $"; a later attempt FAILED (exit {later.ExitCode})" : "");
        string? at = Position(run);
        if (run.Failure is { } f)
        {
            if (slurmState is not null && SweepFailures.Live.Contains(slurmState))
                return $"{slurmState} again after a failed attempt (exit {f.ExitCode})" + (at is null ? "" : $", {at}");
            return $"FAILED (exit {f.ExitCode})" + (at is null ? ", before its first checkpoint" : $", {at}");
        }
        if (slurmState is not null && SlurmJobState.FailureStates.Contains(slurmState))
            return $"{slurmState} in Slurm" + (at is null ? ", before the first checkpoint" : $", {at}");
        if (at is not null) return at;
        if (run.InUse is not null || slurmState is "RUNNING") return "running, no checkpoint yet";
        if (slurmState is "PENDING") return "not started (pending in Slurm)";
        return "not started (no checkpoint yet)";
    }

    private static string? Position(RunStatus run)
    {
        if (run.Checkpoint is { } c)
        {
            string of = c.LastEpoch is { } last ? $" of {last}" : "";
            string within = c.Batches > 0 ? $", {c.Batches} batches into epoch {c.Epoch + 1}" : "";
            return $"epoch {c.Epoch}{of} done{within}";
        }
        var m = run.LastMetrics;
        string? note = run.OtherCheckpoint is { } other ? $"checkpoint {Path.GetFileName(other)}" : null;
        if (m?.GetValueOrDefault("epoch") is { } epoch) return $"epoch {epoch} done ({note ?? "metrics.csv; no valid checkpoint"})";
        if (m?.GetValueOrDefault("iteration") is { } iteration) return $"iteration {iteration} done ({note ?? "metrics.csv; no valid checkpoint"})";
        if (m?.GetValueOrDefault("step") is { } step) return $"step {step} ({note ?? "metrics.csv; no valid checkpoint"})";
        return note is null ? null : $"{note} written";
    }

    private static void Line(StringBuilder s, string label, string text) => s.Append($"{label + ":",-12}{text}\n");
}
