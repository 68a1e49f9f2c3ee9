namespace HpcLearn.Cluster;

/// <summary>
/// How many libtorch threads to use, and why: <c>--threads</c>, else Slurm's
/// <c>SLURM_CPUS_PER_TASK</c>, else the cores this process may run on (affinity and cgroup
/// limits included). Never more than the allocation: oversubscribing cores slows everything.
/// </summary>
/// <param name="Count">Threads to use.</param>
/// <param name="Source">Where the number came from, for the start-up line.</param>
public sealed record ThreadSettings(int Count, string Source)
{
    /// <summary>Resolves the thread count.</summary>
    /// <param name="requested">--threads, if given.</param>
    /// <param name="environment">The process environment.</param>
    /// <param name="usableCores">Cores this process may run on.</param>
    /// <param name="tasksOnNode">Processes sharing those cores (ranks on this node): the cores are split between them.</param>
    public static ThreadSettings Resolve(int? requested, IReadOnlyDictionary<string, string> environment, int usableCores, int tasksOnNode = 1)
    {
        if (requested is { } n)
            return n >= 1 ? new(n, "--threads") : throw new UserError($"--threads must be at least 1, got {n}");
        if (environment.TryGetValue("SLURM_CPUS_PER_TASK", out var s))
            return int.TryParse(s, out int c) && c >= 1
                ? new(c, "SLURM_CPUS_PER_TASK")
                : throw new UserError($"SLURM_CPUS_PER_TASK is '{s}', not a positive integer; fix --cpus-per-task in your sbatch script");
        return tasksOnNode > 1
            ? new(Math.Max(1, usableCores / tasksOnNode), $"usable cores / {tasksOnNode} ranks on this node")
            : new(Math.Max(1, usableCores), "usable cores");
    }

    /// <summary>
    /// The thread count for one rank of <paramref name="cluster"/>: in a Slurm job the allocation
    /// on this node (SLURM_CPUS_ON_NODE) bounds the cores even where the process could run on more
    /// (no CPU binding), and the node's ranks share them. The result is checked against the
    /// allocation (<see cref="ClusterEnvironment.CheckThreads"/>).
    /// </summary>
    public static ThreadSettings ForRank(int? requested, ClusterEnvironment cluster, IReadOnlyDictionary<string, string> environment, int processorCount)
    {
        int cores = Math.Min(processorCount, cluster.CpusOnNode ?? int.MaxValue);
        var threads = Resolve(requested, environment, cores, cluster.TasksOnNode);
        cluster.CheckThreads(threads.Count);
        return threads;
    }

    /// <summary>Resolves from the real environment and core count.</summary>
    public static ThreadSettings Resolve(int? requested)
        => Resolve(requested, EnvironmentSnapshot.Current(), Environment.ProcessorCount);
}
