using static TorchSharp.torch;

using HpcLearn.Runs;

namespace HpcLearn.Training;

/// <summary>Loss and metrics over a data set, with the raw outputs for later analysis.</summary>
/// <param name="Loss">Mean loss per example.</param>
/// <param name="Metrics">Metrics by snake_case name.</param>
/// <param name="Outputs">Model outputs for every example, in order (owned by the caller).</param>
/// <param name="Targets">Targets in the same order.</param>
public sealed record EvaluationResult(double Loss, IReadOnlyDictionary<string, double> Metrics, Tensor Outputs, Tensor Targets);
