using System.Globalization;

namespace HpcLearn.Cluster.Slurm;

/// <summary>
/// The limits of a Slurm partition that decide whether a job can ever start, from one line of
/// <c>scontrol show partition -o</c> (and the nodes' CPU counts from <c>sinfo</c>).
/// </summary>
public sealed record SlurmPartition
{
    /// <summary>Its name (<c>PartitionName</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Whether jobs without <c>--partition</c> go here (<c>Default=YES</c>).</summary>
    public bool IsDefault { get; init; }

    /// <summary><c>State</c>: UP, DOWN, DRAIN or INACTIVE.</summary>
    public string State { get; init; } = "UP";

    /// <summary>Nodes in the partition (<c>TotalNodes</c>).</summary>
    public int? TotalNodes { get; init; }

    /// <summary>Nodes one job may use (<c>MaxNodes</c>); null when unlimited.</summary>
    public int? MaxNodes { get; init; }

    /// <summary>The longest time limit a job may ask for (<c>MaxTime</c>); null when unlimited.</summary>
    public TimeSpan? MaxTime { get; init; }

    /// <summary>The time limit of a job that gives none (<c>DefaultTime</c>); null when NONE (then <see cref="MaxTime"/>).</summary>
    public TimeSpan? DefaultTime { get; init; }

    /// <summary>CPUs a job may use on one node (<c>MaxCPUsPerNode</c>); null when unlimited.</summary>
    public int? MaxCpusPerNode { get; init; }

    /// <summary>Each node's CPU count (from <c>sinfo -N</c>); empty when unknown.</summary>
    public IReadOnlyList<int> NodeCpus { get; init; } = [];

    /// <summary>The time limit a job without <c>--time</c> gets: <see cref="DefaultTime"/>, else <see cref="MaxTime"/>; null when unlimited.</summary>
    public TimeSpan? EffectiveDefaultTime => DefaultTime ?? MaxTime;

    /// <summary>One line of <c>scontrol show partition -o</c> (<c>Key=Value</c> pairs); null when it names no partition.</summary>
    public static SlurmPartition? Parse(string line)
    {
        var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).Where(kv => kv.Length == 2)
            .GroupBy(kv => kv[0]).ToDictionary(g => g.Key, g => g.First()[1]);
        if (!f.TryGetValue("PartitionName", out var name) || name.Length == 0) return null;
        return new SlurmPartition
        {
            Name = name,
            IsDefault = f.GetValueOrDefault("Default") == "YES",
            State = f.GetValueOrDefault("State") ?? "UP",
            TotalNodes = Count(f.GetValueOrDefault("TotalNodes")),
            MaxNodes = Count(f.GetValueOrDefault("MaxNodes")),
            MaxTime = Time(f.GetValueOrDefault("MaxTime")),
            DefaultTime = Time(f.GetValueOrDefault("DefaultTime")),
            MaxCpusPerNode = Count(f.GetValueOrDefault("MaxCPUsPerNode")),
        };
    }

    // UNLIMITED (and anything unreadable) is no limit.
    private static int? Count(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : null;

    private static TimeSpan? Time(string? text) =>
        text is not null && SlurmDuration.TryParse(text, out var t) ? t : null;
}
