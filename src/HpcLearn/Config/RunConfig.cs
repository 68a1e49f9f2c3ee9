using HpcLearn.Cluster;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Config;

/// <summary>
/// The keys every config file shares. Each task derives a config type that adds its own
/// <c>data</c> and <c>model</c> sections; YAML binds onto it key by key (snake_case).
/// </summary>
public abstract record RunConfig
{
    /// <summary>Which task runs (e.g. <c>tabular</c>). Required.</summary>
    public string Task { get; init; } = "";

    /// <summary>Run name: the run folder is <c>&lt;out&gt;/&lt;name&gt;</c>. Default: the task name.</summary>
    public string? Name { get; init; }

    /// <summary>Seed for weights, shuffling and splits. Default 42.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Device: <c>cpu</c> or <c>cuda</c> (with a CUDA build of libtorch). Default cpu.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>libtorch threads; null means --threads, else SLURM_CPUS_PER_TASK, else the usable cores (a tabular network too small to gain from threads then trains on one, docs/tabular.md).</summary>
    public int? Threads { get; init; }

    /// <summary>Optimisation settings.</summary>
    public TrainOptions Train { get; init; } = new();

    /// <summary>Slurm behaviour (signals, deadline margin, requeue) and job-script settings for <c>submit</c>/<c>sweep</c>.</summary>
    public ClusterOptions Cluster { get; init; } = new();

    /// <summary>The run name, defaulting to the task.</summary>
    public string RunName => string.IsNullOrWhiteSpace(Name) ? Task : Name!;
}
