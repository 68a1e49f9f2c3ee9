using System.CommandLine;
using System.Globalization;
using HpcLearn.Cluster.Slurm;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Cli.Commands;

/// <summary>
/// <c>hpclearn sweep-report DIR</c>: ranks a sweep's finished runs; writes ranking.csv and ranking.md.
/// Failed points (failure.json, or a task Slurm reports failed) are listed apart, with why.
/// </summary>
internal static class SweepReportCommand
{
    public static Command Create(TextWriter stdout, CliHost host)
    {
        var dir = new Argument<string>("dir") { Description = "the sweep folder (runs/<name>-sweep), or any folder of run folders" };
        var cmd = new Command("sweep-report", "rank the finished runs of a sweep by their validation metric (writes ranking.csv and ranking.md); list the failed ones with why") { dir };
        cmd.SetAction(r =>
        {
            string folder = r.GetValue(dir)!;
            var ranking = SweepRanking.Read(folder, SlurmFailures(folder, host));
            ranking.Write(folder);
            stdout.Write(ranking.ToMarkdown());
            stdout.WriteLine();
            stdout.WriteLine($"written: {Path.Combine(folder, "ranking.csv")}, {Path.Combine(folder, "ranking.md")}");
            if (ranking.Failed.Count > 0)
                stdout.WriteLine($"rerun the failed {(ranking.Failed.Count == 1 ? "point" : "points")}: hpclearn sweep --rerun-failed {folder}");
            return CliApp.Ok;
        });
        return cmd;
    }

    // Points whose array task Slurm ended as failed, for those without a failure.json of their own.
    private static Dictionary<string, string>? SlurmFailures(string folder, CliHost host)
    {
        if (!Directory.Exists(folder) || RunStatus.Read(folder).JobId is not { } id) return null;
        var known = JobStateFile.Look(folder, id, new SlurmClient(host.Commands), host.Clock.GetUtcNow().UtcDateTime);
        return known?.TaskStates.Where(t => SlurmJobState.FailureStates.Contains(t.Value))
            .ToDictionary(t => t.Key.ToString(CultureInfo.InvariantCulture), t => SweepFailures.KilledBySlurm(t.Value));
    }
}
