namespace HpcLearn.Cluster.Slurm;

/// <summary>What Slurm says about a job (several states for a job array: one per task or range).</summary>
/// <param name="JobId">The job id.</param>
/// <param name="States">RUNNING, PENDING, COMPLETED, CANCELLED, TIMEOUT, ... (one per line Slurm printed).</param>
/// <param name="EndTime">When it ends or ended, as Slurm prints it (controller local time); null if unknown.</param>
/// <param name="TimeLeft">Time left (squeue's %L, e.g. 1:23:45); null when not running.</param>
/// <param name="InQueue">Whether squeue still lists it (else it came from scontrol's memory of finished jobs).</param>
public sealed record SlurmJobState(string JobId, IReadOnlyList<string> States, string? EndTime, string? TimeLeft, bool InQueue)
{
    /// <summary>The states as one phrase: <c>RUNNING</c>, or <c>2 RUNNING, 1 PENDING</c> for an array.</summary>
    public string Summary => States.Count == 1
        ? States[0]
        : string.Join(", ", States.GroupBy(s => s).Select(g => $"{g.Count()} {g.Key}"));
}
