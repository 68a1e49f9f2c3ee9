using HpcLearn.Cluster.Slurm;

namespace HpcLearn.Cluster.Preflight;

/// <summary>
/// The pre-flight check of a job before sbatch (<c>hpclearn doctor</c>, and <c>submit</c>/<c>sweep</c>
/// before they submit): refuses what can never finish (a wall time inside the checkpoint margin,
/// more nodes, CPUs or time than the partition has, an unknown partition, more threads than CPUs,
/// unreadable input, an output folder that cannot be written) and warns about what is merely risky.
/// Slurm is asked through the injected <see cref="ICommandRunner"/>; without it those checks are
/// skipped with one warning.
/// </summary>
public static class JobPreflight
{
    /// <summary>Every finding for <paramref name="plan"/>, problems and warnings in the order checked.</summary>
    /// <param name="plan">The job.</param>
    /// <param name="commands">Runs scontrol, sinfo, srun and ldconfig.</param>
    /// <param name="environment">This process's environment (HPCLEARN_LIBMPI, LD_LIBRARY_PATH).</param>
    public static IReadOnlyList<PreflightFinding> Check(PreflightPlan plan, ICommandRunner commands, IReadOnlyDictionary<string, string> environment)
    {
        var findings = new List<PreflightFinding>();
        SlurmPartition? partition = null;
        if (plan.UnderSlurm)
        {
            findings.AddRange(PartitionCheck.Run(plan, new SlurmPartitions(commands), out partition));
            findings.AddRange(TimeLimitCheck.Run(plan, partition));
        }
        findings.AddRange(ThreadCheck.Run(plan));
        findings.AddRange(FolderCheck.Run(plan));
        if (plan.UnderSlurm) findings.AddRange(MpiLaunchCheck.Run(plan, commands, environment));
        return findings;
    }

    /// <summary>The closing line of a report: <c>N problems, M warnings</c>, or that the job is ready to submit.</summary>
    public static string Summary(IReadOnlyList<PreflightFinding> findings)
    {
        int problems = findings.Count(f => f.IsProblem), warnings = findings.Count - problems;
        if (findings.Count == 0) return "ready to submit";
        string counts = $"{problems} problem{(problems == 1 ? "" : "s")}, {warnings} warning{(warnings == 1 ? "" : "s")}";
        return problems == 0 ? $"{counts}; ready to submit" : counts;
    }
}
