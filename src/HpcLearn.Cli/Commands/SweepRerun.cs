using System.Text.RegularExpressions;
using HpcLearn.Cluster.Slurm;
using HpcLearn.Config;

namespace HpcLearn.Cli.Commands;

/// <summary>
/// <c>hpclearn sweep --rerun-failed SWEEPDIR</c>: submits the sweep's own <c>sweep.sbatch</c> again
/// as a new array over the failed points only (<c>--array=3,7</c>, with the sweep's
/// <c>--max-parallel</c>); each point resumes from its newest valid checkpoint, or starts again, in
/// its own folder, as its job script says (<c>--resume-if-possible</c>).
/// </summary>
internal static partial class SweepRerun
{
    public static int Run(string sweepDir, bool dryRun, TextWriter stdout, CliHost host)
    {
        if (!Directory.Exists(sweepDir)) throw new UserError($"--rerun-failed: sweep folder '{sweepDir}' does not exist");
        var points = PointTable.Read(sweepDir);
        string script = Path.Combine(Path.GetFullPath(sweepDir), "sweep.sbatch");
        if (points.Count == 0 || !File.Exists(script))
            throw new UserError($"--rerun-failed: '{sweepDir}' is not a sweep folder (it has no {PointTable.FileName} and sweep.sbatch); give the folder 'hpclearn sweep' made (runs/<name>-sweep)");
        var slurm = new SlurmClient(host.Commands);
        // Slurm's word on each task: one it still runs or holds is not rerun; one it killed is.
        var tasks = HpcLearn.Runs.RunStatus.Read(sweepDir).JobId is { } id
            ? JobStateFile.Look(sweepDir, id, slurm, host.Clock.GetUtcNow().UtcDateTime)?.TaskStates
            : null;
        var failed = SweepFailures.Find(sweepDir, points, tasks ?? new Dictionary<int, string>());
        if (failed.Count == 0)
        {
            stdout.WriteLine($"no failed points in {sweepDir}: nothing to rerun ('hpclearn status {sweepDir}' shows each point)");
            return CliApp.Ok;
        }
        // The sweep's --max-parallel (%K of its #SBATCH --array) holds for the rerun too.
        string throttle = ArrayLine().Match(File.ReadAllText(script)) is { Success: true } m && m.Groups[1].Success ? m.Groups[1].Value : "";
        string indices = SlurmArray.Format(failed.Select(f => f.Index)) + throttle;
        string option = $"--array={indices}";
        var byIndex = points.ToDictionary(p => p.Index);
        if (dryRun)
        {
            stdout.WriteLine($"would resubmit {Count(failed.Count)}: sbatch {option} {script}");
        }
        else
        {
            string newId = slurm.Submit(script, [option]);
            SweepJobs.Add(sweepDir, newId, indices);
            stdout.WriteLine($"resubmitted {Count(failed.Count)} as job array {newId} ({option}): {script}");
        }
        foreach (var (index, reason) in failed) stdout.WriteLine($"  {index}: {byIndex[index]}  (failed: {reason})");
        stdout.WriteLine("each point resumes from its newest valid checkpoint in its folder, or starts again when it has none");
        if (!dryRun) stdout.WriteLine($"follow it: hpclearn status {sweepDir}");
        return CliApp.Ok;
    }

    private static string Count(int n) => n == 1 ? "1 failed point" : $"{n} failed points";

    [GeneratedRegex(@"^#SBATCH --array=\S*?(%\d+)?\s*$", RegexOptions.Multiline)]
    private static partial Regex ArrayLine();
}
