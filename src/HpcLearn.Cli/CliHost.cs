using HpcLearn.Cluster;

namespace HpcLearn.Cli;

/// <summary>
/// What the world gives the command line: environment variables, the clock, external programs
/// (sbatch, squeue, scontrol), stop signals, and the command that runs hpclearn itself.
/// Injected so tests fake Slurm with a dictionary and canned answers.
/// </summary>
public sealed record CliHost
{
    /// <summary>Environment variables (SLURM_JOB_ID, SLURM_RESTART_COUNT, ...).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = EnvironmentSnapshot.Current();

    /// <summary>The clock (job deadlines).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Runs sbatch, squeue, scontrol, bash.</summary>
    public ICommandRunner Commands { get; init; } = new ProcessCommandRunner();

    /// <summary>Starts listening for the stop signals named in the config (<c>cluster.signals</c>).</summary>
    public Func<IReadOnlyList<string>, StopSignals> ListenForSignals { get; init; } = StopSignals.Listen;

    /// <summary>The command line that runs hpclearn in job scripts; null: <see cref="SelfCommand.Resolve"/>.</summary>
    public IReadOnlyList<string>? Hpclearn { get; init; }

    /// <summary>
    /// Runs a command line through <see cref="Commands"/> (split on spaces) and returns its output,
    /// or null when it failed: the shape <see cref="ClusterEnvironment.Detect"/> asks for squeue.
    /// </summary>
    public string? RunLine(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var r = Commands.Run(parts[0], parts[1..]);
        return r.Ok ? r.StdOut : null;
    }

    /// <summary>The hpclearn command line for job scripts.</summary>
    public IReadOnlyList<string> HpclearnCommand => Hpclearn ?? SelfCommand.Resolve(Environment);
}
