using System.CommandLine;
using HpcLearn.Cluster;
using HpcLearn.Config;

namespace HpcLearn.Cli.Commands;

/// <summary>The resource flags of <c>submit</c> and <c>sweep</c>; each wins over the config's <c>cluster:</c> key.</summary>
internal sealed class JobOptions
{
    private readonly Option<int?> _nodes = new("--nodes") { Description = "machines (default: cluster.nodes, 1)" };
    private readonly Option<int?> _tasks = new("--ntasks-per-node") { Description = "processes (MPI ranks) per machine (default: cluster.ntasks_per_node, 1)" };
    private readonly Option<int?> _cpus = new("--cpus-per-task") { Description = "cores per process = libtorch threads (default: cluster.cpus_per_task)" };
    private readonly Option<string?> _time = new("--time") { Description = "wall-time limit, e.g. 04:00:00 (default: cluster.time, else the partition's)" };
    private readonly Option<string?> _partition = new("--partition") { Description = "partition (default: cluster.partition)" };

    /// <summary>The flags.</summary>
    public IReadOnlyList<Option> All => [_nodes, _tasks, _cpus, _time, _partition];

    /// <summary>Adds the flags to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var o in All) command.Options.Add(o);
    }

    /// <summary>The <c>cluster:</c> keys given as flags (<c>nodes</c>, <c>time</c>, …), so messages name <c>--nodes</c> rather than <c>cluster.nodes</c>.</summary>
    public IReadOnlySet<string> Given(ParseResult r) =>
        All.Where(o => r.GetResult(o) is { Implicit: false }).Select(o => o.Name.TrimStart('-').Replace('-', '_')).ToHashSet();

    /// <summary>The config's cluster section with the flags applied, checked as the config is.</summary>
    /// <exception cref="UserError">A flag's value is invalid.</exception>
    public ClusterOptions Apply(ClusterOptions cluster, ParseResult r)
    {
        var c = cluster with
        {
            Nodes = r.GetValue(_nodes) ?? cluster.Nodes,
            NtasksPerNode = r.GetValue(_tasks) ?? cluster.NtasksPerNode,
            CpusPerTask = r.GetValue(_cpus) ?? cluster.CpusPerTask,
            Time = r.GetValue(_time) ?? cluster.Time,
            Partition = r.GetValue(_partition) ?? cluster.Partition,
        };
        foreach (var (key, message) in c.Validate())
            throw new UserError($"--{key.Replace('_', '-')}: {message}");
        return c;
    }
}
