using System.CommandLine;
using HpcLearn.Cluster.Slurm;
using HpcLearn.Cluster.Sweeps;
using HpcLearn.Training;

namespace HpcLearn.Cli.Commands;

/// <summary>
/// <c>hpclearn status [RUN_DIR]</c>: the job's state (Slurm, or the local pid), how far training
/// is (newest checkpoint, metrics.csv), the last metrics and the time left. Plain text.
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
        var cmd = new Command("status", "show a run's job state, epoch, last metrics and time left") { dir };
        cmd.SetAction(r =>
        {
            string folder = r.GetValue(dir) ?? Newest("runs");
            if (!Directory.Exists(folder)) throw new UserError($"run folder '{folder}' does not exist");
            var slurm = new SlurmClient(host.Commands);
            var text = File.Exists(Path.Combine(folder, PointTable.FileName))
                ? StatusText.Sweep(folder, PointTable.Read(folder), JobLine(RunStatus.Read(folder), slurm, host))
                : StatusText.Run(RunStatus.Read(folder), JobLine(RunStatus.Read(folder), slurm, host));
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

    // "job: ..." for a submitted run (Slurm) or a local one (pid); null for a run trained in the foreground.
    private static string? JobLine(RunStatus run, SlurmClient slurm, CliHost host)
    {
        if (run.JobId is { } id)
        {
            var state = slurm.Query(id);
            if (state is null) return $"{id} (Slurm does not know it any more: finished a while ago, or squeue is not available here)";
            var line = $"{id} {state.Summary}";
            if (state.TimeLeft is { } left && state.States.Contains("RUNNING")) line += $", {left} left";
            if (state.EndTime is { } end) line += state.InQueue ? $" (ends {end})" : $" (ended {end})";
            return line;
        }
        if (run.LocalPid is { } pid)
            return host.Commands.Run("kill", ["-0", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]).Ok
                ? $"local pid {pid}, running"
                : $"local pid {pid}, ended";
        return null;
    }
}
