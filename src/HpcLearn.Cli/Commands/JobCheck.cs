using System.CommandLine;
using HpcLearn.Cluster.Preflight;
using HpcLearn.Cluster.Slurm;
using HpcLearn.Config;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Cli.Commands;

/// <summary>
/// The pre-flight check as <c>doctor</c>, <c>submit</c>, <c>sweep</c> and <c>cluster --submit</c> use it:
/// the plan from a config, the refusal before sbatch, and the report lines.
/// </summary>
internal static class JobCheck
{
    /// <summary>The plan of a training job writing <paramref name="outputFolder"/> (a run folder, or a sweep folder).</summary>
    /// <param name="resume">The job continues the run in <paramref name="outputFolder"/>: its metrics and checkpoints give the estimates.</param>
    public static PreflightPlan ForRun(RunConfig cfg, string outputFolder, bool resume, IReadOnlySet<string> flags, bool underSlurm) => new()
    {
        Cluster = cfg.Cluster,
        UnderSlurm = underSlurm,
        Flags = flags,
        Threads = cfg.Threads,
        ThreadsName = "threads",
        Inputs = ConfigPaths.Inputs(cfg),
        WorkDirectory = Directory.GetCurrentDirectory(),
        OutputFolder = outputFolder,
        KeepCheckpoints = cfg.Train.KeepCheckpoints,
        CheckpointBytes = resume ? RunFolderEstimate.CheckpointBytes(outputFolder) : null,
        EpochSeconds = resume ? RunFolderEstimate.EpochSeconds(outputFolder) : null,
    };

    /// <summary>
    /// Before a submission: the first problem refuses the job as one line (a <see cref="UserError"/>, with
    /// how many more there are and <paramref name="listAll"/>). Returns the warnings, for <see cref="Warn"/>
    /// once the job is submitted (before that, an error of sbatch's must stay the only line).
    /// </summary>
    public static IReadOnlyList<PreflightFinding> Enforce(PreflightPlan plan, CliHost host, string listAll)
    {
        var findings = JobPreflight.Check(plan, host.Commands, host.Environment);
        var problems = findings.Where(f => f.IsProblem).ToList();
        if (problems.Count > 0)
        {
            string more = problems.Count == 1 ? "" : $" (and {problems.Count - 1} more problem{(problems.Count == 2 ? "" : "s")}: {listAll})";
            throw new UserError(problems[0].Message + more);
        }
        return findings;
    }

    /// <summary>Each warning as one line <c>warning: …</c> on stderr.</summary>
    public static void Warn(IReadOnlyList<PreflightFinding> warnings, ParseResult r)
    {
        var stderr = r.InvocationConfiguration.Error;
        foreach (var w in warnings) stderr.WriteLine($"warning: {CliApp.OneLine(w.Message)}");
    }

    /// <summary>For <c>--dry-run</c>: the findings as comment lines after the script, so that stdout stays a script.</summary>
    public static void WriteComments(PreflightPlan plan, CliHost host, TextWriter stdout)
    {
        var findings = JobPreflight.Check(plan, host.Commands, host.Environment);
        foreach (var f in findings) stdout.WriteLine(Shell.Comment($"# doctor: {(f.IsProblem ? "error" : "warning")}: {f.Message}"));
        string refused = findings.Any(f => f.IsProblem) ? ": submitting would refuse this job" : "";
        stdout.WriteLine($"# doctor: {JobPreflight.Summary(findings)}{refused}");
    }
}
