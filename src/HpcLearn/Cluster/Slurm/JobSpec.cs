using HpcLearn.Config;

namespace HpcLearn.Cluster.Slurm;

/// <summary>Everything a job script says: resources, site settings, where it runs and what.</summary>
public sealed record JobSpec
{
    /// <summary>The job's name (squeue shows it).</summary>
    public required string Name { get; init; }

    /// <summary>The folder the script changes to (relative paths in the config are relative to it).</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>Where the script is written (named in its header), or null.</summary>
    public string? ScriptPath { get; init; }

    /// <summary>The log file (<c>--output</c>); may hold Slurm's patterns such as <c>%a</c>.</summary>
    public required string LogPath { get; init; }

    /// <summary>The hpclearn command line to run, program first (e.g. <c>dotnet /…/HpcLearn.Cli.dll train …</c>).</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>
    /// For a job array: the table of grid points (<c>index TAB key=value TAB …</c>); each task appends
    /// <c>--set name=INDEX</c> and <c>--set key=value</c> for its line to <see cref="Command"/>.
    /// </summary>
    public string? PointTable { get; init; }

    /// <summary>The array range (<c>0-7%2</c>) for a job array, else null.</summary>
    public string? Array { get; init; }

    /// <summary>The cluster settings (resources, signals, requeue, site lines).</summary>
    public required ClusterOptions Cluster { get; init; }

    /// <summary>Processes in the whole job (nodes × tasks per node).</summary>
    public int Tasks => Cluster.Nodes * Cluster.NtasksPerNode;
}
