using System.Globalization;

namespace HpcLearn.Cluster.Slurm;

/// <summary>
/// The few Slurm commands hpclearn uses (sbatch, squeue, scontrol), through an injected
/// <see cref="ICommandRunner"/>. Slurm's own messages are passed on as they are.
/// </summary>
public sealed class SlurmClient(ICommandRunner commands)
{
    /// <summary>Submits <paramref name="script"/> with <c>sbatch --parsable</c>; returns the job id.</summary>
    /// <exception cref="UserError">sbatch is missing or rejected the script (its message is included).</exception>
    public string Submit(string script)
    {
        var r = commands.Run("sbatch", ["--parsable", script]);
        if (r.ExitCode == CommandResult.NotFound)
            throw new UserError("sbatch not found: Slurm's commands are not installed here; run the job script on this machine with --local, or print it with --dry-run");
        if (!r.Ok) throw new UserError($"sbatch rejected {script}: {r.ErrorLine}");
        // --parsable prints "<id>" or "<id>;<cluster>".
        var id = r.StdOut.Trim().Split(';')[0].Trim();
        return id.Length > 0 && id.All(char.IsAsciiDigit)
            ? id
            : throw new UserError($"sbatch printed '{r.StdOut.Trim()}' instead of a job id for {script}");
    }

    /// <summary>Runs <c>scontrol requeue ID</c>; returns null on success, else Slurm's error line.</summary>
    public string? Requeue(string jobId)
    {
        var r = commands.Run("scontrol", ["requeue", jobId]);
        return r.Ok ? null : $"scontrol requeue {jobId} failed: {r.ErrorLine}";
    }

    /// <summary>
    /// The job's state from <c>squeue</c> while it is queued or running, else from
    /// <c>scontrol show job</c> (which remembers finished jobs for a while); null when Slurm
    /// does not know it (any more).
    /// </summary>
    public SlurmJobState? Query(string jobId)
    {
        var q = commands.Run("squeue", ["-h", "-j", jobId, "-o", "%T|%e|%L"]);
        var rows = q.Ok ? Lines(q.StdOut).Select(l => l.Split('|')).Where(f => f.Length == 3).ToList() : [];
        if (rows.Count > 0)
            return new SlurmJobState(jobId, rows.Select(f => f[0]).ToList(), Known(rows[0][1]), Known(rows[0][2]), InQueue: true);
        var s = commands.Run("scontrol", ["show", "job", "-o", jobId]);
        if (!s.Ok) return null;
        var jobs = Lines(s.StdOut).Select(Fields).Where(f => f.ContainsKey("JobState")).ToList();
        if (jobs.Count == 0) return null;
        return new SlurmJobState(jobId, jobs.Select(f => f["JobState"]).ToList(), Known(jobs[0].GetValueOrDefault("EndTime")), null, InQueue: false);
    }

    /// <summary>The end time of a running job (<c>squeue -o %e</c>), or null when it has none or Slurm does not say.</summary>
    public DateTimeOffset? EndTime(string jobId)
    {
        var r = commands.Run("squeue", ["-h", "-j", jobId, "-o", "%e"]);
        return r.Ok && Lines(r.StdOut).FirstOrDefault() is { } line ? ParseTime(line) : null;
    }

    /// <summary>
    /// A Slurm timestamp (<c>2026-11-27T05:37:18</c>, the controller's local time, which on a
    /// cluster is the nodes' time zone) as an instant; null for N/A, Unknown or anything else.
    /// </summary>
    public static DateTimeOffset? ParseTime(string text)
    {
        if (!DateTime.TryParseExact(text.Trim(), "yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            return null;
        return new DateTimeOffset(local, TimeZoneInfo.Local.GetUtcOffset(local));
    }

    private static string? Known(string? value) => value is null or "" or "N/A" or "Unknown" or "NONE" ? null : value;

    private static IEnumerable<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static Dictionary<string, string> Fields(string line) =>
        line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(f => f.Split('=', 2)).Where(kv => kv.Length == 2)
            .GroupBy(kv => kv[0]).ToDictionary(g => g.Key, g => g.First()[1]);
}
