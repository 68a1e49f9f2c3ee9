using System.CommandLine;
using System.Globalization;
using HpcLearn.Cluster.Slurm;
using HpcLearn.Config;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Cli.Commands;

/// <summary>
/// <c>hpclearn status [RUN_DIR]</c>: the job's state (Slurm, or the local pid) with why it pends,
/// its restarts and, once it ended, its accounting; how far training is (newest checkpoint,
/// metrics.csv), why it failed (failure.json), the last metrics and the time left. Plain text.
/// What Slurm said is kept in <c>job.state.json</c> for when it has forgotten the job.
/// </summary>
internal static class StatusCommand
{
    public static Command Create(TextWriter stdout, CliHost host)
    {
        var dir = new Argument<string?>("run-dir")
        {
            Description = "a run folder or a sweep folder (default: the newest folder in runs/)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var json = new Option<bool>("--json") { Description = "print the state as JSON (kind, state, progress, job, failure, checkpoint, last_epoch, result; only the keys that have a value) instead of text" };
        var cmd = new Command("status", "show a run's job state (why it pends, restarts, accounting), progress, failure, last metrics and time left") { dir, json };
        cmd.SetAction(r =>
        {
            string folder = r.GetValue(dir) ?? Newest("runs");
            if (!Directory.Exists(folder)) throw new UserError($"run folder '{folder}' does not exist");
            var run = RunStatus.Read(folder);
            var job = Job(folder, run, new SlurmClient(host.Commands), host);
            bool sweep = File.Exists(Path.Combine(folder, PointTable.FileName)), asJson = r.GetValue(json);
            var text = sweep
                ? (asJson ? StatusJson.Sweep(folder, PointTable.Read(folder), job) + "\n" : StatusText.Sweep(folder, PointTable.Read(folder), job))
                : (asJson ? StatusJson.Run(run, job) + "\n" : StatusText.Run(run, job));
            stdout.Write(text);
            return CliApp.Ok;
        });
        return cmd;
    }

    private static string Newest(string runs)
    {
        var folders = Directory.Exists(runs) ? Directory.GetDirectories(runs) : [];
        if (folders.Length == 0)
            throw new UserError($"no run folder given and none in '{runs}/'; use: hpclearn status RUN_DIR");
        return folders.OrderByDescending(Directory.GetLastWriteTimeUtc).First();
    }

    // The job of a submitted run (Slurm) or a local one (pid); null for a run trained in the foreground.
    private static StatusText.JobView? Job(string folder, RunStatus run, SlurmClient slurm, CliHost host)
    {
        if (run.JobId is { } id)
        {
            var known = JobStateFile.Look(folder, id, slurm, host.Clock.GetUtcNow().UtcDateTime);
            int? recorded = run.Attempts.Select(a => a.SlurmRestartCount).Where(n => n is not null).Max();
            if (known is null)
                return new StatusText.JobView($"{id} (Slurm does not know it any more: finished a while ago, or squeue is not available here)",
                    slurm.Accounting(id), recorded, new Dictionary<int, string>(), null);
            return new StatusText.JobView(Line(known), known.InQueue ? null : known.Accounting, known.Restarts ?? recorded,
                known.TaskStates, known.SingleState);
        }
        if (run.LocalPid is { } pid)
        {
            bool alive = host.Commands.Run("kill", ["-0", pid.ToString(CultureInfo.InvariantCulture)]).Ok;
            return new StatusText.JobView($"local pid {pid}, {(alive ? "running" : "ended")}", null, null, new Dictionary<int, string>(), null);
        }
        return null;
    }

    private static string Line(JobStateFile job)
    {
        var tasks = job.TaskStates;
        string states = tasks.Count == 0
            ? (job.States.Count == 1 ? job.States[0] : string.Join(", ", job.States.GroupBy(s => s).Select(g => $"{g.Count()} {g.Key}")))
            : string.Join(", ", tasks.OrderBy(t => t.Key).GroupBy(t => t.Value).Select(g =>
                $"{g.Count()} {g.Key}" + (SlurmJobState.FailureStates.Contains(g.Key) || g.Key == "CANCELLED"
                    ? $" ({(g.Count() == 1 ? "point" : "points")} {string.Join(", ", g.Select(t => t.Key))})" : "")));
        var line = $"{job.JobId} {states}";
        if (job.Reason is { } reason && job.States.Contains("PENDING"))
            line += tasks.Count == 0 ? $" ({PendingReason.Describe(reason)})" : $"; pending: {PendingReason.Describe(reason)}";
        if (job.ExitCode is { } exit && exit != "0:0") line += $", exit code {exit}";
        if (job.TimeLeft is { } left && job.States.Contains("RUNNING")) line += $", {left} left";
        if (job.EndTime is { } end) line += job.InQueue ? $" (ends {end})" : $" (ended {end})";
        if (!job.Live)
            line += $"; as status saw it at {job.CheckedUtc:yyyy-MM-dd HH:mm:ss} UTC (Slurm does not know the job any more)";
        return line;
    }
}
