namespace HpcLearn.Cluster.Slurm;

/// <summary>What Slurm says about a job (several states for a job array: one per task or range).</summary>
/// <param name="JobId">The job id.</param>
/// <param name="States">RUNNING, PENDING, COMPLETED, CANCELLED, TIMEOUT, ... (one per array task where Slurm names the tasks, else one per line Slurm printed).</param>
/// <param name="EndTime">When it ends or ended, as Slurm prints it (controller local time); null if unknown.</param>
/// <param name="TimeLeft">Time left (squeue's %L, e.g. 1:23:45); null when not running.</param>
/// <param name="InQueue">Whether squeue still lists it (else it came from scontrol's memory of finished jobs).</param>
public sealed record SlurmJobState(string JobId, IReadOnlyList<string> States, string? EndTime, string? TimeLeft, bool InQueue)
{
    /// <summary>The states that mean a job or task ended without finishing its work.</summary>
    public static IReadOnlySet<string> FailureStates { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "FAILED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL", "BOOT_FAIL", "DEADLINE", "PREEMPTED",
    };

    /// <summary>Why a pending job waits (squeue's %r, scontrol's Reason, e.g. <c>Priority</c>, <c>PartitionNodeLimit</c>); null when none.</summary>
    public string? Reason { get; init; }

    /// <summary>How many times Slurm started the job again (scontrol's <c>Restarts=</c>; the largest over an array's tasks); null when unknown.</summary>
    public int? Restarts { get; init; }

    /// <summary>The exit code Slurm recorded for a job that ended (scontrol's <c>ExitCode=2:0</c> as <c>2:0</c>); null when unknown.</summary>
    public string? ExitCode { get; init; }

    /// <summary>A job array's state by task index (pending ranges expanded); empty for a plain job.</summary>
    public IReadOnlyDictionary<int, string> Tasks { get; init; } = new Dictionary<int, string>();

    /// <summary>The states as one phrase: <c>RUNNING</c>, or <c>2 RUNNING, 1 PENDING</c> for an array.</summary>
    public string Summary => States.Count == 1
        ? States[0]
        : string.Join(", ", States.GroupBy(s => s).Select(g => $"{g.Count()} {g.Key}"));
}
