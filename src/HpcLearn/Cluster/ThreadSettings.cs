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
    /// <summary>
    /// A requested thread count may be at most this many times the usable cores: a little
    /// oversubscription is the user's choice, but libtorch starts one OS thread per count, so
    /// <c>--threads 100000</c> would only exhaust the machine.
    /// </summary>
    public const int MaxThreadsPerCore = 4;

    /// <summary>Resolves the thread count.</summary>
    /// <param name="requested">--threads, if given.</param>
    /// <param name="environment">The process environment.</param>
    /// <param name="usableCores">Cores this process may run on.</param>
    /// <param name="tasksOnNode">Processes sharing those cores (ranks on this node): the cores are split between them.</param>
    /// <param name="requestedBy">Where <paramref name="requested"/> came from, for messages (<c>--threads</c> or the config's <c>threads</c>).</param>
    /// <exception cref="UserError">The requested count is below 1 or above <see cref="MaxThreadsPerCore"/> × the usable cores, or SLURM_CPUS_PER_TASK is not a positive integer.</exception>
    public static ThreadSettings Resolve(int? requested, IReadOnlyDictionary<string, string> environment, int usableCores, int tasksOnNode = 1,
        string requestedBy = "--threads")
    {
        if (requested is { } n)
        {
            int most = MaxThreadsPerCore * Math.Max(1, usableCores);
            if (n < 1) throw new UserError($"{requestedBy} must be at least 1, got {n}");
            if (n > most)
                throw new UserError($"{requestedBy} is {n}, but this machine has {Math.Max(1, usableCores)} usable cores; use 1 to {most} " +
                                    $"({MaxThreadsPerCore} per core at most: threads beyond the cores only slow libtorch down)");
            return new(n, requestedBy);
        }
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
    /// <param name="requested">--threads or the config's threads, if given.</param>
    /// <param name="cluster">The detected environment.</param>
    /// <param name="environment">The process environment.</param>
    /// <param name="processorCount">Logical cores this process may run on.</param>
    /// <param name="requestedBy">As for <see cref="Resolve(int?, IReadOnlyDictionary{string, string}, int, int, string)"/>.</param>
    public static ThreadSettings ForRank(int? requested, ClusterEnvironment cluster, IReadOnlyDictionary<string, string> environment, int processorCount,
        string requestedBy = "--threads")
    {
        int cores = Math.Min(processorCount, cluster.CpusOnNode ?? int.MaxValue);
        var threads = Resolve(requested, environment, cores, cluster.TasksOnNode, requestedBy);
        cluster.CheckThreads(threads.Count);
        return threads;
    }

    /// <summary>Resolves from the real environment and core count.</summary>
    public static ThreadSettings Resolve(int? requested)
        => Resolve(requested, EnvironmentSnapshot.Current(), Environment.ProcessorCount);
}
