using System.Globalization;

namespace HpcLearn.Cluster.Slurm;

/// <summary>
/// Reads the partitions and their nodes' CPU counts through an injected <see cref="ICommandRunner"/>:
/// <c>scontrol show partition -o</c> (one line each) and <c>sinfo -h -N -p NAME -o "%N %c"</c>.
/// </summary>
public sealed class SlurmPartitions(ICommandRunner commands)
{
    /// <summary>
    /// Every partition, or null when Slurm cannot be asked here; <paramref name="why"/> then says
    /// why (scontrol missing, the controller not answering), in words for a warning.
    /// </summary>
    public IReadOnlyList<SlurmPartition>? All(out string? why)
    {
        var r = commands.Run("scontrol", ["show", "partition", "-o"]);
        why = null;
        if (r.ExitCode == CommandResult.NotFound)
        {
            why = "scontrol not found (no Slurm here)";
            return null;
        }
        if (!r.Ok)
        {
            why = $"scontrol show partition failed: {r.ErrorLine}";
            return null;
        }
        return r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(SlurmPartition.Parse).OfType<SlurmPartition>().ToList();
    }

    /// <summary><paramref name="partition"/> with <see cref="SlurmPartition.NodeCpus"/> filled in from sinfo (left empty when sinfo does not answer).</summary>
    public SlurmPartition WithNodeCpus(SlurmPartition partition)
    {
        var r = commands.Run("sinfo", ["-h", "-N", "-p", partition.Name, "-o", "%N %c"]);
        if (!r.Ok) return partition;
        // One line per node and partition; a node in two states may be listed twice.
        var cpus = new Dictionary<string, int>();
        foreach (var line in r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length == 2 && int.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out int c)) cpus[f[0]] = c;
        }
        return partition with { NodeCpus = cpus.Values.ToList() };
    }
}
