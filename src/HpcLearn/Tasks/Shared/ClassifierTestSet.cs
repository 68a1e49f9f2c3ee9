using HpcLearn.Data;
using HpcLearn.Evaluation;

namespace HpcLearn.Tasks.Shared;

/// <summary>
/// A separate test set (<c>data.test_path</c>) for <see cref="ClassifierRun"/>: measured once with the
/// final weights, after training, and never used to choose an epoch or a temperature.
/// </summary>
public sealed record ClassifierTestSet
{
    /// <summary>The test batches in order, normalised with the training statistics.</summary>
    public required TensorDataLoader Loader { get; init; }

    /// <summary>The true class of each test example (training class indices), in loader order.</summary>
    public required int[] Labels { get; init; }

    /// <summary>The trivial baseline on the test examples (the majority class of the training examples).</summary>
    public required BaselineResult Baseline { get; init; }

    /// <summary>What the log calls it, e.g. <c>40 clips of data/test</c>.</summary>
    public required string Description { get; init; }
}
