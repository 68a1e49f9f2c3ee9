using HpcLearn.Cluster;

namespace HpcLearn.Tests.Cluster.Slurm;

/// <summary>Canned answers of <c>scontrol show partition -o</c> and <c>sinfo -N</c> for <see cref="FakeCommands"/>.</summary>
internal static class FakePartitions
{
    /// <summary>One line as Slurm 22.05 prints it for a partition (the live local Slurm's, with the values given).</summary>
    public static string Line(string name = "debug", bool isDefault = true, int nodes = 1, int cpus = 4, string maxNodes = "UNLIMITED",
        string maxTime = "UNLIMITED", string defaultTime = "NONE", string state = "UP", string maxCpusPerNode = "UNLIMITED") =>
        $"PartitionName={name} AllowGroups=ALL AllowAccounts=ALL AllowQos=ALL AllocNodes=ALL Default={(isDefault ? "YES" : "NO")} QoS=N/A " +
        $"DefaultTime={defaultTime} DisableRootJobs=NO ExclusiveUser=NO GraceTime=0 Hidden=NO MaxNodes={maxNodes} MaxTime={maxTime} MinNodes=0 LLN=NO " +
        $"MaxCPUsPerNode={maxCpusPerNode} Nodes=n[1-{nodes}] PriorityJobFactor=1 PriorityTier=1 RootOnly=NO ReqResv=NO OverSubscribe=NO OverTimeLimit=NONE PreemptMode=OFF " +
        $"State={state} TotalCPUs={nodes * cpus} TotalNodes={nodes} SelectTypeParameters=NONE JobDefaults=(null) DefMemPerNode=UNLIMITED MaxMemPerNode=UNLIMITED\n";

    /// <summary>
    /// Answers <c>scontrol show partition -o</c> with <paramref name="lines"/> (default: one 1-node, 4-CPU
    /// default partition 'debug', as the local Slurm) and <c>sinfo -h -N -p P -o "%N %c"</c> with
    /// <paramref name="nodeCpus"/> CPUs on each of <paramref name="nodes"/> nodes; other scontrol calls fail.
    /// </summary>
    public static FakeCommands WithPartitions(this FakeCommands commands, string? lines = null, int nodes = 1, int nodeCpus = 4) => commands
        .On("scontrol", a => a is ["show", "partition", "-o"]
            ? new CommandResult(0, lines ?? Line(), "")
            : new CommandResult(1, "", $"scontrol {string.Join(' ', a)}: not faked"))
        .On("sinfo", _ => new CommandResult(0, string.Concat(Enumerable.Range(1, nodes).Select(i => $"n{i} {nodeCpus}\n")), ""));
}
