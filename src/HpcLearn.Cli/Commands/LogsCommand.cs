using System.CommandLine;
using System.Globalization;
using HpcLearn.Cluster.Slurm;
using HpcLearn.Config;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Cli.Commands;

/// <summary>
/// <c>hpclearn logs RUN [--follow] [--point N]</c>: prints a run's <c>job.log</c> (every attempt's
/// output: the job script appends); <c>--follow</c> goes on printing what is added until the job
/// ends (Slurm no longer runs or holds it, or the local pid is gone). For a sweep, the log of one
/// point.
/// </summary>
internal static class LogsCommand
{
    /// <summary>How often <c>--follow</c> looks for new lines and whether the job still runs.</summary>
    internal static TimeSpan FollowInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    public static Command Create(TextWriter stdout, CliHost host)
    {
        var dir = new Argument<string>("run-dir") { Description = "a run folder (submit) or a sweep folder (sweep, with --point)" };
        var follow = new Option<bool>("--follow", "-f") { Description = "keep printing what the job adds to its log until the job ends" };
        var point = new Option<int?>("--point") { Description = "in a sweep folder: the point whose log to print", HelpName = "N" };
        var cmd = new Command("logs", "print a run's job log (job.log); --follow prints what is added until the job ends") { dir, follow, point };
        cmd.SetAction(r =>
        {
            string folder = r.GetValue(dir)!;
            if (!Directory.Exists(folder)) throw new UserError($"run folder '{folder}' does not exist");
            var slurm = new SlurmClient(host.Commands);
            var points = PointTable.Read(folder);
            string log;
            Func<string?> running; // what the job is doing while it runs or waits; null once it ended
            if (points.Count > 0)
            {
                if (r.GetValue(point) is not { } n)
                    throw new UserError($"'{folder}' is a sweep folder: give the point whose log to print, --point N ({SlurmArray.Format(points.Select(p => p.Index))})");
                if (points.All(p => p.Index != n))
                    throw new UserError($"--point {n}: sweep '{folder}' has points {SlurmArray.Format(points.Select(p => p.Index))}");
                log = Path.Combine(SweepJobs.PointDir(folder, n), RunStatus.LogFile);
                string? id = SweepJobs.ArrayOf(folder, points, n);
                running = () => id is null ? null : slurm.Query(id)?.Tasks.GetValueOrDefault(n) is { } s && SweepFailures.Live.Contains(s) ? $"job {id}_{n} is {s}" : null;
            }
            else
            {
                if (r.GetValue(point) is not null)
                    throw new UserError($"--point: '{folder}' is a run folder, not a sweep folder (it has no {PointTable.FileName}); leave out --point");
                log = Path.Combine(folder, RunStatus.LogFile);
                var run = RunStatus.Read(folder);
                running = run.JobId is { } id
                    ? () => slurm.Query(id) is { InQueue: true } q ? $"job {id} is {q.Summary}" : null
                    : run.LocalPid is { } pid
                        ? () => host.Commands.Run("kill", ["-0", pid.ToString(CultureInfo.InvariantCulture)]).Ok ? $"local pid {pid} is running" : null
                        : () => null;
            }
            if (!r.GetValue(follow))
            {
                if (!File.Exists(log)) throw new UserError(NoLog(log, running()));
                Copy(log, 0, stdout);
                return CliApp.Ok;
            }
            long at = 0;
            bool waitingSaid = false;
            while (true)
            {
                // Whether the job runs is asked before reading, so that the last read sees everything it wrote.
                string? doing = running();
                if (File.Exists(log)) at = Copy(log, at, stdout);
                else if (doing is null) throw new UserError(NoLog(log, null));
                else if (!waitingSaid)
                {
                    stdout.WriteLine($"(waiting for {log}: {doing})");
                    waitingSaid = true;
                }
                if (doing is null) return CliApp.Ok;
                Thread.Sleep(FollowInterval);
            }
        });
        return cmd;
    }

    private static string NoLog(string log, string? doing) =>
        $"no log yet: '{log}' does not exist" + (doing is not null
            ? $" ({doing}; Slurm creates the log when the job starts)"
            : " (the run was not started by submit or sweep, or its job has not started)");

    // Prints the log from byte offset `from` on; returns the new end. The job may be writing it.
    private static long Copy(string path, long from, TextWriter stdout)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length < from) from = 0; // truncated or replaced: start again
        stream.Seek(from, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        stdout.Write(reader.ReadToEnd());
        stdout.Flush();
        return stream.Position;
    }
}
