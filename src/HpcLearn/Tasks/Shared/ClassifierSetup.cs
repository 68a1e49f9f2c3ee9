using System.Text.Json.Nodes;
using HpcLearn.Data;
using HpcLearn.Evaluation;
using HpcLearn.Evaluation.Reports;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Shared;

/// <summary>What a classification task hands to <see cref="ClassifierRun"/>: a model and its data, ready to train.</summary>
public sealed record ClassifierSetup
{
    /// <summary>The network: [input (B, ...)] to logits (B, K).</summary>
    public required nn.Module<Tensor[], Tensor> Model { get; init; }

    /// <summary>More Learner callbacks, added to the standard ones. Default none.</summary>
    public IReadOnlyList<Training.Callback> Callbacks { get; init; } = [];

    /// <summary>Training batches (sharded by rank).</summary>
    public required TensorDataLoader Train { get; init; }

    /// <summary>
    /// Validation batches, in order; null when <c>data.valid_fraction</c> is 0, and <see cref="Test"/>
    /// then judges the run (no temperature is fitted).
    /// </summary>
    public required TensorDataLoader? Valid { get; init; }

    /// <summary>The separate test set (<c>data.test_path</c>), measured once after training; null when none is given.</summary>
    public ClassifierTestSet? Test { get; init; }

    /// <summary>Class names in output order.</summary>
    public required IReadOnlyList<string> Classes { get; init; }

    /// <summary>The true class of each validation example, in loader order (the test set's when <see cref="Valid"/> is null).</summary>
    public required int[] ValidLabels { get; init; }

    /// <summary>The trivial baseline on the validation examples (the test set's when <see cref="Valid"/> is null).</summary>
    public required BaselineResult Baseline { get; init; }

    /// <summary>The data as loaded (evaluation.json and the report).</summary>
    public required DataCard Card { get; init; }

    /// <summary>model.json's details, given the fitted temperature (1 when not calibrated).</summary>
    public required Func<double, JsonObject> Details { get; init; }

    /// <summary>
    /// Writes plots/top-losses.png for the given validation probabilities (test, when <see cref="Valid"/> is null) into the run folder and
    /// returns its path (or a sentence saying why there is none); null when the task has no such grid.
    /// </summary>
    public Func<string, double[][], string>? WriteTopLosses { get; init; }
}
