using HpcLearn.Cluster.Slurm;
using HpcLearn.Cluster.Sweeps;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Cli.Commands;

/// <summary>
/// The failed points of a sweep: no summary.json, and either a <c>failure.json</c> (hpclearn
/// stopped with an error) or an array task that Slurm reports failed (killed before hpclearn could
/// say why: out of memory, time limit, node failure). A point Slurm is running or holding again
/// (after <c>--rerun-failed</c>) is not failed.
/// </summary>
internal static class SweepFailures
{
    /// <summary>States of a task that is queued or running.</summary>
    public static readonly IReadOnlySet<string> Live = new HashSet<string>(StringComparer.Ordinal)
    {
        "PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESIZING", "SUSPENDED", "STAGE_OUT", "SIGNALING",
    };

    /// <summary>The failed points, in index order, each with one line saying why.</summary>
    public static List<(int Index, string Reason)> Find(string sweepDir, IReadOnlyList<SweepPoint> points, IReadOnlyDictionary<int, string> tasks)
    {
        var failed = new List<(int, string)>();
        foreach (var p in points)
        {
            string dir = SweepJobs.PointDir(sweepDir, p.Index);
            if (RunStatus.ReadSummary(Path.Combine(dir, "summary.json")) is not null) continue; // finished (a stopped run's summary does not count)
            string? state = tasks.GetValueOrDefault(p.Index);
            if (state is not null && Live.Contains(state)) continue;
            if (RunAttempt.ReadFailure(dir) is { } f) failed.Add((p.Index, $"exit {f.ExitCode}: {f.Reason}"));
            else if (state is not null && SlurmJobState.FailureStates.Contains(state)) failed.Add((p.Index, KilledBySlurm(state)));
        }
        return failed;
    }

    /// <summary>The reason of a task Slurm ended without hpclearn recording one.</summary>
    public static string KilledBySlurm(string state) => $"{state} in Slurm, without a failure.json (killed before hpclearn could record why; see its job.log)";
}
