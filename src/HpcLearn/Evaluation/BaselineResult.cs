namespace HpcLearn.Evaluation;

/// <summary>
/// What a trivial model scores on the validation split, and a phrase saying what it predicts.
/// </summary>
/// <param name="Metrics">The same keys as the model's metrics, in the same order.</param>
/// <param name="Description">For the table, e.g. "majority class 'no' (62.0% of training rows)".</param>
public sealed record BaselineResult(IReadOnlyDictionary<string, double> Metrics, string Description);
