using System.CommandLine;
using HpcLearn.Cluster;

namespace HpcLearn.Cli.Commands;

/// <summary>Options shared by the commands that train or predict.</summary>
internal static class CommonOptions
{
    public static Option<int?> Threads() => new("--threads")
    {
        Description = "libtorch threads (default: SLURM_CPUS_PER_TASK, else the cores this process may use)",
    };

    public static Option<string?> Device() => new("--device")
    {
        Description = "cpu, cuda or cuda:N (overrides the config's device; CUDA needs a CUDA build of libtorch)",
    };

    public static Option<string> Out(string description, string? defaultValue = null) => new("--out")
    {
        Description = description,
        DefaultValueFactory = defaultValue is null ? null! : _ => defaultValue,
    };

    /// <summary>Applies the thread count and prints where it came from.</summary>
    public static int ApplyThreads(int? requested, TextWriter log) => ApplyThreads(requested, log, ClusterEnvironment.Local, EnvironmentSnapshot.Current());

    /// <summary>
    /// Applies the thread count for this rank (the node's cores shared between its ranks unless
    /// Slurm or --threads says otherwise), refuses an oversubscribed allocation, prints the choice; returns it.
    /// </summary>
    /// <param name="requestedBy">Where <paramref name="requested"/> came from, for the printed line (default --threads).</param>
    public static int ApplyThreads(int? requested, TextWriter log, ClusterEnvironment cluster, IReadOnlyDictionary<string, string> environment, string requestedBy = "--threads")
    {
        var threads = ThreadSettings.ForRank(requested, cluster, environment, Environment.ProcessorCount, requestedBy);
        // A count the user typed stands; the config's or the default is lowered on a busy machine
        // (not for several ranks on a node: those are each other's load, already shared out).
        if (requestedBy != "--threads" && cluster.TasksOnNode <= 1)
            threads = threads.ForLoad(TorchRuntime.OtherRunnableTasks(), Environment.ProcessorCount);
        TorchRuntime.SetThreads(threads.Count, requested: requested is not null);
        log.WriteLine($"threads: {threads.Count} (from {threads.Source})");
        return threads.Count;
    }

    /// <summary>The task that made the model in <paramref name="modelDir"/>, checked to exist in this version.</summary>
    public static Tasks.Shared.IMLTask TaskForModel(string modelDir) => TaskForModel(modelDir, HpcLearn.Runs.ModelArtifact.LoadManifest(modelDir).Task);

    /// <summary>The task called <paramref name="name"/> (read from <paramref name="modelDir"/>'s model.json), checked to exist in this version.</summary>
    public static Tasks.Shared.IMLTask TaskForModel(string modelDir, string name)
    {
        return Tasks.TaskRegistry.Find(name)
            ?? throw new UserError($"{modelDir}: made by the '{name}' task, which this version of hpclearn does not have");
    }

    /// <summary>
    /// Sets libtorch's threads for a command that uses trained models, without printing (stdout may
    /// carry the output): --threads, else the threads of the config that trained the first of
    /// <paramref name="models"/> that is a model folder setting them (<see cref="ThreadSettings.ForModel"/>).
    /// </summary>
    public static ThreadSettings ApplyThreadsQuietly(int? requested, params string?[] models)
    {
        int? modelThreads = models.Select(ModelThreads).FirstOrDefault(t => t is not null);
        var threads = ThreadSettings.ForModel(requested, modelThreads, EnvironmentSnapshot.Current(), Environment.ProcessorCount,
            requested is null ? TorchRuntime.OtherRunnableTasks() : null);
        TorchRuntime.SetThreads(threads.Count, requested: requested is not null || modelThreads is not null);
        return threads;
    }

    // The threads of a model folder's config; null for built-in players and anything unreadable (loading the model says what is wrong).
    private static int? ModelThreads(string? dir)
    {
        if (dir is null || !File.Exists(Path.Combine(dir, HpcLearn.Runs.ModelArtifact.ManifestFile))) return null;
        try { return HpcLearn.Runs.ModelArtifact.LoadManifest(dir).Provenance.ConfigThreads(); }
        catch (UserError) { return null; }
    }

    /// <summary>Whether stdout is a live terminal (progress bars) rather than a log file.</summary>
    public static bool IsTerminal(TextWriter stdout)
        => ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected
           && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb");
}
