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

    /// <summary>
    /// The thread count of a command that uses a trained model (predict, evaluate, arena, judge,
    /// play, recommend, generate): <c>--threads</c>, else the <c>threads</c> of the config that
    /// trained the model (at most the usable cores: a model trained on a big node still runs on a
    /// laptop), else as <see cref="Resolve(int?, IReadOnlyDictionary{string, string}, int, int, string)"/>;
    /// then, unless <c>--threads</c> said so, lowered on a busy machine (<see cref="ForLoad"/>).
    /// </summary>
    /// <param name="flag">--threads, if given.</param>
    /// <param name="modelThreads">The model's config's threads, if it set them.</param>
    /// <param name="environment">The process environment.</param>
    /// <param name="usableCores">Cores this process may run on.</param>
    /// <param name="othersRunnable">Runnable tasks of other processes on those cores, if known.</param>
    public static ThreadSettings ForModel(int? flag, int? modelThreads, IReadOnlyDictionary<string, string> environment, int usableCores, int? othersRunnable)
    {
        if (flag is not null) return Resolve(flag, environment, usableCores);
        int cores = Math.Max(1, usableCores);
        var threads = modelThreads switch
        {
            null or < 1 => Resolve(null, environment, usableCores),
            { } m when m > cores => new ThreadSettings(cores, $"the model's threads ({m}), at most the {cores} usable cores"),
            { } m => new ThreadSettings(m, "the model's threads"),
        };
        return threads.ForLoad(othersRunnable, cores);
    }

    /// <summary>
    /// Fewer threads when other processes keep the cores busy: at most the cores left idle by
    /// <paramref name="othersRunnable"/> runnable tasks, and at least 1. On a busy machine each
    /// parallel region of libtorch waits for its slowest thread, and a thread that the scheduler
    /// has taken off its core holds the others up for a whole time slice: on 2 cores beside 2 busy
    /// processes, 2 threads trained the recommender and text models 2-30x slower than 1 thread
    /// (docs/benchmarks.md, threads-contention). Unchanged when <paramref name="othersRunnable"/>
    /// is null (not known) or when the threads fit beside the others.
    /// </summary>
    /// <param name="othersRunnable">Tasks of other processes running or waiting for a core (see <see cref="TorchRuntime.OtherRunnableTasks"/>).</param>
    /// <param name="cores">Cores of the machine that those tasks share with this process.</param>
    public ThreadSettings ForLoad(int? othersRunnable, int cores)
    {
        int fit = TorchRuntime.ThreadsBeside(Count, othersRunnable, cores);
        return fit >= Count ? this : new(fit, $"{Source}: {Count}, lowered as the machine is busy ({othersRunnable} other runnable tasks on {cores} cores; HPCLEARN_BUSY_CHECK=off keeps {Count})");
    }

    /// <summary>Resolves from the real environment and core count.</summary>
    public static ThreadSettings Resolve(int? requested)
        => Resolve(requested, EnvironmentSnapshot.Current(), Environment.ProcessorCount);
}
