using System.Text.Json.Nodes;
using TorchSharp;

namespace HpcLearn.Runs;

/// <summary>
/// What a task hands to <see cref="RunSession.Finish"/> or <see cref="RunSession.Stopped"/> at the end
/// of its run: the weights, what <c>predict</c> needs to use them, and the figures that are the
/// task's own. The session adds the rest (task, run folder, provenance, threads, timings over
/// every attempt) and writes the files.
/// </summary>
public sealed record RunOutcome
{
    /// <summary>The weights to write into <c>model/</c> (the best or the last); moved to the CPU first when they are elsewhere.</summary>
    public required torch.nn.Module Model { get; init; }

    /// <summary>model.json's <c>details</c>: what <c>predict</c> needs to rebuild and feed the model.</summary>
    public required JsonObject Details { get; init; }

    /// <summary>model.json's metrics (empty for a stopped run that has none yet).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>model.json's baseline metrics.</summary>
    public IReadOnlyDictionary<string, double> Baseline { get; init; } = new Dictionary<string, double>();

    /// <summary>
    /// summary.json as far as the task fills it (primary metric, metrics, baseline, whether it beats
    /// it, epochs, stop reason); task, run folder, threads, timings and the interrupted flag are set by the session.
    /// </summary>
    public RunSummary Summary { get; init; } = new();

    /// <summary>This attempt's training seconds (summary.json adds every earlier attempt's).</summary>
    public double TrainSeconds { get; init; }

    /// <summary>The task's own timings (evaluate_seconds, examples per second, ...), in summary.json order.</summary>
    public Dictionary<string, double> Timings { get; init; } = new();
}
