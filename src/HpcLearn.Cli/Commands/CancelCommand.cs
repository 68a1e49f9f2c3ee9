using System.CommandLine;
using System.Globalization;
using HpcLearn.Cluster.Slurm;
using HpcLearn.Config;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Cli.Commands;

/// <summary>
/// <c>hpclearn cancel RUN [--point N]</c>: ends a run's job. A Slurm job (<c>job.id</c>) is
/// scancelled: its training gets TERM, writes a checkpoint and stops (exit code 3); a sweep's
/// arrays all (or one task, <c>ID_N</c>, with <c>--point N</c>); a <c>submit --local</c> job gets TERM
/// at the pid in <c>job.pid</c>.
/// </summary>
internal static class CancelCommand
{
    public static Command Create(TextWriter stdout, CliHost host)
    {
        var dir = new Argument<string>("run-dir") { Description = "a run folder (submit) or a sweep folder (sweep)" };
        var point = new Option<int?>("--point") { Description = "in a sweep folder: cancel this point's task only", HelpName = "N" };
        var cmd = new Command("cancel", "cancel a run's job (scancel the job in job.id, a sweep's arrays or one --point, or the local pid of submit --local); training checkpoints and stops")
        {
            dir, point,
        };
        cmd.SetAction(r =>
        {
            string folder = r.GetValue(dir)!;
            if (!Directory.Exists(folder)) throw new UserError($"run folder '{folder}' does not exist");
            var slurm = new SlurmClient(host.Commands);
            var points = PointTable.Read(folder);
            if (points.Count > 0) return Sweep(folder, points, r.GetValue(point), slurm, stdout);
            if (r.GetValue(point) is not null)
                throw new UserError($"--point: '{folder}' is a run folder, not a sweep folder (it has no {PointTable.FileName}); cancel it without --point");
            var run = RunStatus.Read(folder);
            if (run.JobId is { } id)
            {
                if (slurm.Cancel(id) is { } error) throw new UserError(error);
                stdout.WriteLine($"cancelled job {id}: its training checkpoints and stops (exit code 3) if it was running");
            }
            else if (run.LocalPid is { } pid)
            {
                string text = pid.ToString(CultureInfo.InvariantCulture);
                // The job script passes TERM on to training, which checkpoints and stops.
                var k = host.Commands.Run("kill", ["-TERM", text]);
                if (!k.Ok) throw new UserError($"cannot stop local job pid {pid} of {folder}: {k.ErrorLine} (it has probably ended)");
                stdout.WriteLine($"sent TERM to local job pid {pid}: its training checkpoints and stops (exit code 3)");
            }
            else
            {
                throw new UserError($"'{folder}' has no job to cancel (no {RunStatus.JobIdFile} or {RunStatus.PidFile}): it was not started by submit or sweep");
            }
            stdout.WriteLine($"see where it stopped: hpclearn status {folder}");
            return CliApp.Ok;
        });
        return cmd;
    }

    private static int Sweep(string folder, IReadOnlyList<SweepPoint> points, int? point, SlurmClient slurm, TextWriter stdout)
    {
        var arrays = SweepJobs.Read(folder, points);
        if (arrays.Count == 0) throw new UserError($"sweep folder '{folder}' has no job to cancel (no {RunStatus.JobIdFile}): it was not submitted");
        if (point is { } n)
        {
            if (points.All(p => p.Index != n))
                throw new UserError($"--point {n}: sweep '{folder}' has points {SlurmArray.Format(points.Select(p => p.Index))}");
            string id = SweepJobs.ArrayOf(folder, points, n) ?? arrays[^1].Id;
            string task = $"{id}_{n}";
            if (slurm.Cancel(task) is { } error) throw new UserError(error);
            stdout.WriteLine($"cancelled point {n} (job {task}): its training checkpoints and stops (exit code 3) if it was running");
        }
        else
        {
            foreach (var (id, indices) in arrays)
            {
                if (slurm.Cancel(id) is { } error) throw new UserError(error);
                stdout.WriteLine($"cancelled job array {id} (points {SlurmArray.Format(indices)})");
            }
            stdout.WriteLine("running points checkpoint and stop (exit code 3); pending ones do not start");
        }
        stdout.WriteLine($"see where they stopped: hpclearn status {folder}");
        return CliApp.Ok;
    }
}
