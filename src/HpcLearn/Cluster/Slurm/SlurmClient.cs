using System.Globalization;

namespace HpcLearn.Cluster.Slurm;

/// <summary>
/// The few Slurm commands hpclearn uses (sbatch, squeue, scontrol, sacct, scancel), through an injected
/// <see cref="ICommandRunner"/>. Slurm's own messages are passed on as they are.
/// </summary>
public sealed class SlurmClient(ICommandRunner commands)
{
    /// <summary>Submits <paramref name="script"/> with <c>sbatch --parsable</c>; returns the job id.</summary>
    /// <exception cref="UserError">sbatch is missing or rejected the script (its message is included).</exception>
    public string Submit(string script) => Submit(script, []);

    /// <summary>
    /// Submits <paramref name="script"/> with <c>sbatch --parsable OPTIONS SCRIPT</c> (options given
    /// here win over the script's <c>#SBATCH</c> lines, e.g. <c>--array=3,7</c>); returns the job id.
    /// </summary>
    /// <exception cref="UserError">sbatch is missing or rejected the script (its message is included).</exception>
    public string Submit(string script, IReadOnlyList<string> options)
    {
        var r = commands.Run("sbatch", ["--parsable", .. options, script]);
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
    /// The job's state: <c>squeue</c> says whether it is queued or running, its time left and why it
    /// pends; <c>scontrol show job</c> adds restarts, exit codes and the state of each array task,
    /// and remembers finished jobs for a while (MinJobAge). Null when Slurm does not know the job (any more).
    /// </summary>
    public SlurmJobState? Query(string jobId)
    {
        var q = commands.Run("squeue", ["-h", "-j", jobId, "-o", "%T|%e|%L|%r|%K"]);
        var rows = q.Ok ? Lines(q.StdOut).Select(l => l.Split('|')).Where(f => f.Length >= 3).ToList() : [];
        var s = commands.Run("scontrol", ["show", "job", "-o", jobId]);
        var jobs = s.Ok ? Lines(s.StdOut).Select(Fields).Where(f => f.ContainsKey("JobState")).ToList() : [];
        if (rows.Count == 0 && jobs.Count == 0) return null;

        // Array tasks by index: scontrol lists finished, running and pending ones (a pending range as
        // one record), squeue the queued ones; squeue is the fresher where both name a task.
        var tasks = new SortedDictionary<int, string>();
        foreach (var f in jobs)
            foreach (int i in SlurmArray.Indices(f.GetValueOrDefault("ArrayTaskId"))) tasks[i] = f["JobState"];
        foreach (var f in rows.Where(f => f.Length >= 5))
            foreach (int i in SlurmArray.Indices(f[4])) tasks[i] = f[0];
        bool inQueue = rows.Count > 0;
        var states = tasks.Count > 0 ? tasks.Values.ToList()
            : inQueue ? rows.Select(f => f[0]).ToList()
            : jobs.Select(f => f["JobState"]).ToList();
        var restarts = jobs.Select(f => int.TryParse(f.GetValueOrDefault("Restarts"), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : (int?)null)
            .Where(n => n is not null).Max();
        string? reason = rows.Where(f => f[0] == "PENDING" && f.Length >= 4).Select(f => Known(f[3])).FirstOrDefault(r => r is not null)
            ?? jobs.Where(f => f["JobState"] == "PENDING").Select(f => Known(f.GetValueOrDefault("Reason"))).FirstOrDefault(r => r is not null);
        string? exit = !inQueue && jobs.Count == 1 ? Known(jobs[0].GetValueOrDefault("ExitCode")) : null;
        if (inQueue)
        {
            var row = rows.FirstOrDefault(f => f[0] == "RUNNING") ?? rows[0];
            return new SlurmJobState(jobId, states, Known(row[1]), Known(row[2]), InQueue: true)
            {
                Reason = reason, Restarts = restarts, Tasks = tasks,
            };
        }
        return new SlurmJobState(jobId, states, Known(jobs[0].GetValueOrDefault("EndTime")), null, InQueue: false)
        {
            Reason = reason, Restarts = restarts, ExitCode = exit, Tasks = tasks,
        };
    }

    /// <summary>
    /// What the accounting (<c>sacct</c>) says about a job that ran, as one line: its state, elapsed
    /// time, CPU time, largest resident memory and exit code (for an array: over its tasks); or
    /// <c>not available (sacct: MESSAGE)</c> where accounting is not set up or sacct is missing.
    /// </summary>
    public string Accounting(string jobId)
    {
        var r = commands.Run("sacct", ["-j", jobId, "-n", "-P", "-o", "JobID,State,Elapsed,TotalCPU,MaxRSS,ExitCode"]);
        if (r.ExitCode == CommandResult.NotFound) return "not available (sacct: not installed here)";
        if (!r.Ok) return $"not available (sacct: {r.ErrorLine})";
        var rows = Lines(r.StdOut).Select(l => l.Split('|')).Where(f => f.Length >= 6).ToList();
        // One line per job or array task, then one per step (ID.batch, ID.extern, ID.0): memory is the steps'.
        var main = rows.Where(f => !f[0].Contains('.')).ToList();
        if (main.Count == 0) return $"not available (sacct knows no job {jobId})";
        long? rss = rows.Select(f => Bytes(f[4])).Where(b => b is not null).Max();
        string memory = rss is { } b ? $", MaxRSS {Size(b)}" : "";
        if (main.Count == 1)
        {
            var f = main[0];
            return $"{f[1]}, elapsed {f[2]}, CPU {f[3]}{memory}, exit {f[5]}";
        }
        var states = string.Join(", ", main.GroupBy(f => f[1]).Select(g => $"{g.Count()} {g.Key}"));
        var longest = main.Select(f => Seconds(f[2])).Max();
        var cpu = main.Select(f => Seconds(f[3])).Sum();
        return $"{main.Count} tasks ({states}), longest elapsed {Clock(longest)}, CPU {Clock(cpu)} in all{memory} (largest)";
    }

    /// <summary>Runs <c>scancel ID</c> (a job, a whole array, or one task <c>ID_N</c>); returns null on success, else Slurm's error line.</summary>
    public string? Cancel(string jobId)
    {
        var r = commands.Run("scancel", [jobId]);
        if (r.ExitCode == CommandResult.NotFound) return "scancel not found: Slurm's commands are not installed here";
        return r.Ok ? null : $"scancel {jobId} failed: {r.ErrorLine}";
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

    private static string? Known(string? value) => value is null or "" or "N/A" or "Unknown" or "NONE" or "None" ? null : value;

    // sacct's MaxRSS: 123456K, 12.5M, 1G (KiB units by default).
    private static long? Bytes(string text)
    {
        text = text.Trim();
        if (text.Length == 0) return null;
        long unit = char.ToUpperInvariant(text[^1]) switch { 'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, 'T' => 1L << 40, _ => 1 };
        string number = unit == 1 ? text : text[..^1];
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? (long)(v * unit) : null;
    }

    private static string Size(long bytes) => bytes >= 1L << 30
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):F1} GiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):F0} MiB");

    // sacct's durations: [D-]HH:MM:SS, MM:SS.mmm or MM:SS.
    private static double Seconds(string text)
    {
        double days = 0;
        int dash = text.IndexOf('-');
        if (dash > 0 && double.TryParse(text[..dash], NumberStyles.Float, CultureInfo.InvariantCulture, out days)) text = text[(dash + 1)..];
        double total = 0;
        foreach (var part in text.Split(':'))
            total = total * 60 + (double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : 0);
        return days * 86400 + total;
    }

    private static string Clock(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Round(seconds, MidpointRounding.AwayFromZero));
        return string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours:00}:{t.Minutes:00}:{t.Seconds:00}");
    }

    private static IEnumerable<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static Dictionary<string, string> Fields(string line) =>
        line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(f => f.Split('=', 2)).Where(kv => kv.Length == 2)
            .GroupBy(kv => kv[0]).ToDictionary(g => g.Key, g => g.First()[1]);
}
