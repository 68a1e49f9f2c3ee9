using HpcLearn.Config;

namespace HpcLearn.Cluster.Preflight;

/// <summary>
/// What the pre-flight check needs to know about a job before it is submitted: its resources, what
/// it reads and where it writes. No model knowledge: the caller turns a config into paths and numbers.
/// </summary>
public sealed record PreflightPlan
{
    /// <summary>Free space below which a run without a measured checkpoint gets a warning: 100 MB.</summary>
    public const long SpaceFloorBytes = 100L * 1024 * 1024;

    /// <summary>The job's <c>cluster:</c> section, flags applied.</summary>
    public required ClusterOptions Cluster { get; init; }

    /// <summary>
    /// Whether the job goes to Slurm. False for a job run here without Slurm (<c>submit --local</c>):
    /// partitions, time limits and srun are then not checked.
    /// </summary>
    public bool UnderSlurm { get; init; } = true;

    /// <summary>
    /// The <c>cluster:</c> keys given as command-line flags (<c>nodes</c>, <c>time</c>, …): messages name
    /// them as <c>--nodes</c>, the others as <c>cluster.nodes</c>.
    /// </summary>
    public IReadOnlySet<string> Flags { get; init; } = new HashSet<string>();

    /// <summary>The libtorch threads the job asks for (the config's <c>threads</c>, <c>--threads</c>); null: they follow the CPUs per task.</summary>
    public int? Threads { get; init; }

    /// <summary>What the thread count is called in messages: <c>threads</c> (the config key) or <c>--threads</c>.</summary>
    public string ThreadsName { get; init; } = "threads";

    /// <summary>Files and folders the job reads, each with the key or argument that names it (<c>data.path</c>).</summary>
    public IReadOnlyList<(string Key, string Path)> Inputs { get; init; } = [];

    /// <summary>The folder the job starts in: relative input paths are resolved against it.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>The folder the job writes (its run folder or output folder); it need not exist yet.</summary>
    public required string OutputFolder { get; init; }

    /// <summary>The flag or key that chose <see cref="OutputFolder"/>, for messages. Default <c>--out</c>.</summary>
    public string OutputName { get; init; } = "--out";

    /// <summary>The size of one checkpoint when known (a run being resumed has one); null when not.</summary>
    public long? CheckpointBytes { get; init; }

    /// <summary>Checkpoints kept at once (<c>train.keep_checkpoints</c>).</summary>
    public int KeepCheckpoints { get; init; } = 3;

    /// <summary>Seconds one epoch takes when known (the <c>seconds</c> of a resumed run's metrics.csv); null when not.</summary>
    public double? EpochSeconds { get; init; }

    /// <summary>Free bytes for an unprivileged writer on the file system that holds a folder; null when unknown.</summary>
    public Func<string, long?> FreeBytes { get; init; } = DefaultFreeBytes;

    /// <summary>How messages name a <c>cluster:</c> key: <c>--ntasks-per-node</c> when given as a flag, else <c>cluster.ntasks_per_node</c>.</summary>
    public string Name(string key) => Flags.Contains(key) ? "--" + key.Replace('_', '-') : "cluster." + key;

    private static long? DefaultFreeBytes(string folder)
    {
        try
        {
            return new DriveInfo(folder).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
