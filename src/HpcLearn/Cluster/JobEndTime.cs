using System.Globalization;
using HpcLearn.Cluster.Slurm;

namespace HpcLearn.Cluster;

/// <summary>When the current Slurm job must end, if it is one and Slurm says.</summary>
public static class JobEndTime
{
    /// <summary>
    /// <c>SLURM_JOB_END_TIME</c> (Unix seconds, set by newer Slurm) when present, else
    /// <c>squeue -o %e</c> for <c>SLURM_JOB_ID</c>; null outside Slurm or for a job without a limit.
    /// </summary>
    public static DateTimeOffset? Resolve(IReadOnlyDictionary<string, string> environment, ICommandRunner commands)
    {
        if (environment.TryGetValue("SLURM_JOB_END_TIME", out var s)
            && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long unix) && unix > 0)
            return DateTimeOffset.FromUnixTimeSeconds(unix);
        return environment.TryGetValue("SLURM_JOB_ID", out var id) && id.Length > 0
            ? new SlurmClient(commands).EndTime(id)
            : null;
    }
}
