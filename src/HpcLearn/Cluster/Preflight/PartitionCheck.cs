using HpcLearn.Cluster.Slurm;

namespace HpcLearn.Cluster.Preflight;

/// <summary>
/// The job's nodes, CPUs and time against its partition's limits, as Slurm reports them. A job
/// beyond them would be rejected or, worse, pend for ever (Reason=PartitionNodeLimit,
/// PartitionTimeLimit); an unknown partition is named with the known ones.
/// </summary>
internal static class PartitionCheck
{
    /// <summary>The findings; <paramref name="partition"/> is the partition the job goes to, when there is exactly one and it is known.</summary>
    public static IReadOnlyList<PreflightFinding> Run(PreflightPlan plan, SlurmPartitions slurm, out SlurmPartition? partition)
    {
        partition = null;
        var all = slurm.All(out string? why);
        if (all is null)
            return [PreflightFinding.Warning($"partition limits (nodes, CPUs, time) not checked: {why}")];
        var c = plan.Cluster;
        string known = all.Count == 0 ? "Slurm lists none" : "known: " + string.Join(", ", all.Select(p => p.Name + (p.IsDefault ? " (default)" : "")));
        if (c.Partition is null)
        {
            partition = all.FirstOrDefault(p => p.IsDefault);
            if (partition is null)
                return [PreflightFinding.Problem($"no partition given and Slurm has no default partition; give --partition or cluster.partition ({known})")];
        }
        else
        {
            var names = c.Partition.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var unknown = names.Where(n => all.All(p => p.Name != n)).ToList();
            if (unknown.Count > 0)
                return [PreflightFinding.Problem($"{plan.Name("partition")} {c.Partition}: no partition named {string.Join(", ", unknown)} ({known})")];
            // A list goes to whichever partition starts it first: its limits are not one partition's.
            if (names.Length != 1) return [];
            partition = all.First(p => p.Name == names[0]);
        }
        partition = slurm.WithNodeCpus(partition);
        return Limits(plan, partition).ToList();
    }

    private static IEnumerable<PreflightFinding> Limits(PreflightPlan plan, SlurmPartition p)
    {
        var c = plan.Cluster;
        string nodes = $"{plan.Name("nodes")} {c.Nodes}";
        if (p.State != "UP")
            yield return PreflightFinding.Warning($"partition {p.Name} is {p.State}: the job waits until it is UP");
        if (p.TotalNodes is { } total && c.Nodes > total)
            yield return PreflightFinding.Problem($"{nodes}: partition {p.Name} has only {total} node{(total == 1 ? "" : "s")} (TotalNodes); the job could never start: ask for at most {total}");
        else if (p.MaxNodes is { } max && c.Nodes > max)
            yield return PreflightFinding.Problem($"{nodes}: partition {p.Name} allows at most {max} node{(max == 1 ? "" : "s")} per job (MaxNodes); the job would pend for ever (Reason=PartitionNodeLimit): ask for at most {max}");

        if (c.Time is { } text && SlurmDuration.TryParse(text, out var time) && time is { } t && p.MaxTime is { } maxTime && t > maxTime)
            yield return PreflightFinding.Problem($"{plan.Name("time")} {text.Trim()} is above partition {p.Name}'s MaxTime {SlurmDuration.Format(maxTime)}; " +
                $"the job would pend for ever (Reason=PartitionTimeLimit): ask for at most {SlurmDuration.Format(maxTime)}");

        int cpusPerTask = c.CpusPerTask ?? 1;
        long need = (long)c.NtasksPerNode * cpusPerTask;
        string demand = $"{plan.Name("ntasks_per_node")} {c.NtasksPerNode} × {(c.CpusPerTask is null ? "1 CPU per task" : $"{plan.Name("cpus_per_task")} {cpusPerTask}")} = {need} CPUs per node";
        if (p.MaxCpusPerNode is { } maxCpus && need > maxCpus)
            yield return PreflightFinding.Problem($"{demand}, but partition {p.Name} lets a job use at most {maxCpus} per node (MaxCPUsPerNode); lower --ntasks-per-node or --cpus-per-task");
        else if (p.NodeCpus.Count > 0)
        {
            int enough = p.NodeCpus.Count(n => n >= need);
            if (enough == 0)
                yield return PreflightFinding.Problem($"{demand}, but partition {p.Name}'s largest node has {p.NodeCpus.Max()}; the job could never start: lower --ntasks-per-node or --cpus-per-task");
            else if (enough < c.Nodes && (p.TotalNodes is not { } tn || c.Nodes <= tn))
                yield return PreflightFinding.Problem($"{demand} on {c.Nodes} nodes, but only {enough} of partition {p.Name}'s nodes have that many CPUs; the job could never start: lower --nodes, --ntasks-per-node or --cpus-per-task");
        }
    }
}
