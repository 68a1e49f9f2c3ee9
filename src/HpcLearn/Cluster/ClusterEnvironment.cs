using System.Globalization;

namespace HpcLearn.Cluster;

/// <summary>
/// Where this process runs and which part of the job it is: detected once, in one place, in the
/// order Slurm → MPI launcher → local. Under Slurm the ranks come from <c>srun</c>
/// (<c>SLURM_PROCID</c>), or from <c>mpirun</c> when it started the ranks inside the job; a plain
/// batch script (no srun) is one process, rank 0 of 1. Inconsistent settings are a
/// <see cref="UserError"/> that says what to change in the sbatch script.
/// </summary>
public sealed record ClusterEnvironment
{
    /// <summary>What started the process.</summary>
    public ClusterKind Kind { get; init; } = ClusterKind.Local;
    /// <summary>Processes in the job that take part in training (1 when not distributed).</summary>
    public int WorldSize { get; init; } = 1;
    /// <summary>This process's rank, 0 to <see cref="WorldSize"/> - 1.</summary>
    public int Rank { get; init; }
    /// <summary>This process's rank among those on the same node.</summary>
    public int LocalRank { get; init; }
    /// <summary>Nodes the ranks run on (under mpirun outside Slurm, estimated from the local size).</summary>
    public int NodeCount { get; init; } = 1;
    /// <summary>Tasks (ranks) on this node.</summary>
    public int TasksOnNode { get; init; } = 1;
    /// <summary>CPUs per task from <c>--cpus-per-task</c> (<c>SLURM_CPUS_PER_TASK</c>), if set.</summary>
    public int? CpusPerTask { get; init; }
    /// <summary>CPUs Slurm allocated on this node (<c>SLURM_CPUS_ON_NODE</c>), if known.</summary>
    public int? CpusOnNode { get; init; }
    /// <summary>Slurm job id.</summary>
    public string? JobId { get; init; }
    /// <summary>Index of this task in a Slurm job array.</summary>
    public int? ArrayTaskId { get; init; }
    /// <summary>
    /// When Slurm will stop the job (its wall-time limit), if known: from <c>SLURM_JOB_END_TIME</c>
    /// on every rank, else from <c>squeue</c> on rank 0 only (other ranks get null; a deadline is
    /// decided on rank 0 and shared, like any stop).
    /// </summary>
    public DateTimeOffset? JobEndTime { get; init; }
    /// <summary>One line for the start of a run, e.g. <c>Slurm job 42 (srun): rank 1 of 4 (local 1), 2 nodes, 8 cpus per task</c>.</summary>
    public string Description { get; init; } = "local: one process";

    /// <summary>True when more than one process trains together.</summary>
    public bool IsDistributed => WorldSize > 1;

    /// <summary>True on the rank that writes logs, checkpoints and artifacts.</summary>
    public bool IsRankZero => Rank == 0;

    /// <summary>A single local process.</summary>
    public static ClusterEnvironment Local { get; } = new();

    /// <summary>Detects the environment of this process (real variables; <c>squeue</c> for the end time).</summary>
    public static ClusterEnvironment Current()
        => Detect(EnvironmentSnapshot.Current(), ProcessCommand.Output, TimeProvider.System);

    /// <summary>Detects the environment from <paramref name="env"/>.</summary>
    /// <param name="env">Environment variables (inject a dictionary to fake any cluster).</param>
    /// <param name="runCommand">Runs a command line and returns its output or null; used (on rank 0
    /// only) for <c>squeue</c> when <c>SLURM_JOB_END_TIME</c> is absent. Null: never run anything.</param>
    /// <param name="clock">Time and local time zone (squeue prints local times). Default: the system's.</param>
    public static ClusterEnvironment Detect(IReadOnlyDictionary<string, string> env, Func<string, string?>? runCommand = null, TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        var reader = new EnvironmentReader(env);
        var mpi = MpiLaunch.Read(reader);
        if ((reader.Text("SLURM_JOB_ID") ?? reader.Text("SLURM_JOBID")) is { } jobId)
            return Slurm(reader, jobId, mpi, runCommand, clock);
        if (mpi is null) return Local;
        int nodes = mpi.LocalSize is { } ls ? (mpi.Size + ls - 1) / ls : 1;
        return new ClusterEnvironment
        {
            Kind = ClusterKind.Mpi,
            WorldSize = mpi.Size,
            Rank = mpi.Rank,
            LocalRank = mpi.LocalRank,
            NodeCount = nodes,
            TasksOnNode = mpi.LocalSize ?? mpi.Size,
            Description = $"MPI ({mpi.Source}): rank {mpi.Rank} of {mpi.Size} (local {mpi.LocalRank})",
        };
    }

    private static ClusterEnvironment Slurm(EnvironmentReader env, string jobId, MpiLaunch? mpi, Func<string, string?>? runCommand, TimeProvider clock)
    {
        int allocNodes = env.Positive("SLURM_NNODES") ?? env.Positive("SLURM_JOB_NUM_NODES") ?? 1;
        int allocTasks = env.Positive("SLURM_NTASKS") ?? env.Positive("SLURM_NPROCS") ?? 1;
        int? perNode = env.Positive("SLURM_NTASKS_PER_NODE");
        if (perNode is { } p && allocTasks > (long)p * allocNodes)
            throw new UserError($"SLURM_NTASKS={allocTasks} is more than --ntasks-per-node={p} × --nodes={allocNodes} = {p * allocNodes}; " +
                                "in your sbatch script raise --nodes or --ntasks-per-node, or lower --ntasks");
        int? cpusPerTask = env.Positive("SLURM_CPUS_PER_TASK");
        int? cpusOnNode = env.Positive("SLURM_CPUS_ON_NODE");
        int? arrayTask = env.NonNegative("SLURM_ARRAY_TASK_ID");

        int size, rank, local, nodes, onNode;
        string launcher, note = "";
        if (mpi is not null)
        {
            // mpirun inside the allocation: every rank inherits the batch step's SLURM_PROCID,
            // so only the launcher's variables tell the ranks apart.
            (size, rank, local, nodes) = (mpi.Size, mpi.Rank, mpi.LocalRank, allocNodes);
            launcher = env.Has("SLURM_STEP_ID") || env.Has("SLURM_STEPID") ? "srun" : "mpirun"; // srun --mpi=pmi2 sets PMI_* too
            onNode = mpi.LocalSize ?? (size + nodes - 1) / nodes;
        }
        else if (env.Has("SLURM_STEP_ID") || env.Has("SLURM_STEPID"))
        {
            size = env.Positive("SLURM_STEP_NUM_TASKS") ?? allocTasks;
            rank = env.NonNegative("SLURM_PROCID") ?? 0;
            local = env.NonNegative("SLURM_LOCALID") ?? 0;
            nodes = env.Positive("SLURM_STEP_NUM_NODES") ?? allocNodes;
            int node = env.NonNegative("SLURM_NODEID") ?? 0;
            onNode = SlurmTaskList.OnNode(env.Text("SLURM_STEP_TASKS_PER_NODE") ?? env.Text("SLURM_TASKS_PER_NODE"), node)
                     ?? (size + nodes - 1) / nodes;
            launcher = "srun";
            if (rank >= size)
                throw new UserError($"SLURM_PROCID is {rank}, but the step has {size} tasks; {EnvironmentReader.Fix("SLURM_PROCID")}");
        }
        else
        {
            // The batch script itself (or an salloc shell): one process, whatever the allocation.
            (size, rank, local, nodes, onNode, launcher) = (1, 0, 0, 1, 1, "batch script");
            if (allocTasks > 1)
                note = $"; the job has {allocTasks} tasks but this process was not started by srun, so it runs alone (use srun to train on all of them)";
        }

        var result = new ClusterEnvironment
        {
            Kind = ClusterKind.Slurm,
            WorldSize = size,
            Rank = rank,
            LocalRank = local,
            NodeCount = nodes,
            TasksOnNode = onNode,
            CpusPerTask = cpusPerTask,
            CpusOnNode = cpusOnNode,
            JobId = jobId,
            ArrayTaskId = arrayTask,
            // squeue only from rank 0: a 1,000-rank job must not send slurmctld 1,000 queries.
            JobEndTime = SlurmEndTime.Resolve(env, jobId, rank == 0 ? runCommand : null, clock),
        };
        result.CheckThreads(cpusPerTask ?? 1);
        return result with { Description = SlurmDescription(result, launcher, clock) + note };
    }

    /// <summary>
    /// Refuses a thread count that, times the tasks on this node, needs more CPUs than Slurm
    /// allocated on it: oversubscribed cores make every rank slower. Call it with the thread count
    /// actually used (e.g. from <c>--threads</c>).
    /// </summary>
    public void CheckThreads(int threads)
    {
        if (CpusOnNode is not { } cpus || (long)threads * TasksOnNode <= cpus) return;
        throw new UserError($"{threads} threads × {TasksOnNode} tasks on this node need {threads * TasksOnNode} CPUs, but Slurm allocated {cpus} here " +
                            $"(SLURM_CPUS_ON_NODE); in your sbatch script ask for --cpus-per-task={threads} with --ntasks-per-node={TasksOnNode}, " +
                            "or run fewer threads (--threads) or tasks");
    }

    private static string SlurmDescription(ClusterEnvironment e, string launcher, TimeProvider clock)
    {
        var parts = new List<string> { $"rank {e.Rank} of {e.WorldSize} (local {e.LocalRank})" };
        parts.Add(e.NodeCount == 1 ? "1 node" : $"{e.NodeCount} nodes");
        if (e.CpusPerTask is { } c) parts.Add($"{c} cpus per task");
        if (e.JobEndTime is { } end)
        {
            var left = end - clock.GetUtcNow();
            parts.Add($"ends {end.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC " +
                      $"({(left < TimeSpan.Zero ? "passed" : $"{(int)left.TotalHours}h {left.Minutes:00}m left")})");
        }
        string array = e.ArrayTaskId is { } a ? $", array task {a}" : "";
        return $"Slurm job {e.JobId}{array} ({launcher}): {string.Join(", ", parts)}";
    }
}
