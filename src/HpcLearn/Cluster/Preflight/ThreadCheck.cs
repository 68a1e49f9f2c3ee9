using HpcLearn.Config;

namespace HpcLearn.Cluster.Preflight;

/// <summary>
/// Threads against CPUs per task. More threads than the job's CPUs is refused: <c>train</c> checks
/// threads × tasks against <c>SLURM_CPUS_ON_NODE</c> and would stop at once (unless <c>--exclusive</c>
/// gives it the whole node, then a warning). Fewer threads than CPUs leaves cores idle: a warning.
/// </summary>
internal static class ThreadCheck
{
    public static IEnumerable<PreflightFinding> Run(PreflightPlan plan)
    {
        if (plan.Threads is not { } t) yield break;
        var c = plan.Cluster;
        int cpus = c.CpusPerTask ?? 1;
        string threads = plan.ThreadsName + (plan.ThreadsName.StartsWith('-') ? " " : ": ") + t;
        string asked = c.CpusPerTask is null ? $"{plan.Name("cpus_per_task")} not set, so Slurm gives 1" : $"{plan.Name("cpus_per_task")} {cpus}";
        if (t > cpus)
        {
            bool exclusive = c.ExtraSbatch.Any(x => ClusterOptions.SbatchOption(x)?.StartsWith("--exclusive", StringComparison.Ordinal) == true);
            string message = $"{threads} is more than the {cpus} CPU{(cpus == 1 ? "" : "s")} per task the job asks for ({asked}); " +
                $"training would refuse to start ({t} threads × {c.NtasksPerNode} task{(c.NtasksPerNode == 1 ? "" : "s")} on a node need {(long)t * c.NtasksPerNode} CPUs); " +
                $"ask for --cpus-per-task {t}, or lower {plan.ThreadsName}";
            yield return exclusive ? PreflightFinding.Warning(message + " (--exclusive may give it the whole node)") : PreflightFinding.Problem(message);
        }
        else if (t < cpus)
            yield return PreflightFinding.Warning($"{threads} uses {t} of the {cpus} CPUs per task the job asks for ({asked}); the rest stay idle: " +
                $"drop {plan.ThreadsName} (threads then follow --cpus-per-task) or ask for fewer CPUs");
    }
}
