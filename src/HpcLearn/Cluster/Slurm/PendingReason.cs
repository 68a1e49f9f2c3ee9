namespace HpcLearn.Cluster.Slurm;

/// <summary>
/// What the usual reasons of a pending job (squeue's <c>%r</c>) mean and what to do about them.
/// Those that can never resolve by waiting say so, as a job that asks for more than the partition
/// has pends forever without any other sign.
/// </summary>
public static class PendingReason
{
    private static readonly Dictionary<string, string> Meanings = new(StringComparer.Ordinal)
    {
        ["Priority"] = "other jobs are ahead of it in the queue; it starts in its turn",
        ["Resources"] = "waiting for the nodes or cores it asks for to become free",
        ["Dependency"] = "waiting for the job it depends on",
        ["DependencyNeverSatisfied"] = "the job it depends on failed: it will never start; cancel it",
        ["BeginTime"] = "its start time (--begin) has not come yet",
        ["JobArrayTaskLimit"] = "the array's --max-parallel limit: it starts when another task ends",
        ["JobHeldUser"] = "held by you: release it with scontrol release ID",
        ["JobHeldAdmin"] = "held by an administrator",
        ["ReqNodeNotAvail"] = "a node it needs is down, drained or reserved",
        ["PartitionNodeLimit"] = "it asks for more nodes than the partition allows: it will never start; cancel it and submit with fewer --nodes (or another partition)",
        ["PartitionTimeLimit"] = "its --time is longer than the partition allows: it will never start; cancel it and submit with a shorter --time",
        ["PartitionDown"] = "the partition is down",
        ["PartitionInactive"] = "the partition is inactive",
        ["BadConstraints"] = "no node can satisfy what it asks for (cores, memory, features): it will never start; cancel it and ask for less",
        ["InvalidAccount"] = "the account is not valid: it will never start; cancel it and fix cluster.account",
        ["InvalidQOS"] = "the QOS is not valid: it will never start; cancel it and fix cluster.qos",
        ["QOSMaxJobsPerUserLimit"] = "you have as many jobs running as the QOS allows; it starts when one ends",
        ["QOSMaxCpuPerUserLimit"] = "your running jobs use as many cores as the QOS allows; it starts when they free some",
        ["AssocGrpCpuLimit"] = "your account's group uses as many cores as it may; it starts when they free some",
        ["AssocMaxJobsLimit"] = "your account has as many jobs running as it may; it starts when one ends",
        ["launch failed requeued held"] = "the job failed to launch and is held: look at the node, then scontrol release ID",
    };

    /// <summary><c>REASON: what it means</c>, or the reason as Slurm gave it when it is not a known one.</summary>
    public static string Describe(string reason) =>
        Meanings.TryGetValue(reason, out var meaning) ? $"{reason}: {meaning}" : reason;
}
