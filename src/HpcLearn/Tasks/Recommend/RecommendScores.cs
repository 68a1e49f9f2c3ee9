namespace HpcLearn.Tasks.Recommend;

/// <summary>The model's test metrics and each baseline's, with the counts behind them.</summary>
/// <param name="Model">rmse, mae, then the top-k metrics.</param>
/// <param name="Baselines">Each baseline's metrics (only those it defines).</param>
/// <param name="TestPairs">Test ratings scored.</param>
/// <param name="ColdPairs">Test pairs with a user or item unseen in training, predicted by the biases baseline.</param>
/// <param name="RankedUsers">Users with at least one relevant, warm test item: the top-k metrics average over them.</param>
/// <param name="RelevantFrom">The rating from which a test item counts as relevant (NaN for implicit feedback: every held-out interaction is).</param>
/// <param name="Implicit">Implicit feedback: top-k metrics only, beside popularity and random.</param>
public sealed record RecommendScores(
    IReadOnlyDictionary<string, double> Model,
    IReadOnlyDictionary<BaselineKind, IReadOnlyDictionary<string, double>> Baselines,
    int TestPairs, int ColdPairs, int RankedUsers, double RelevantFrom, bool Implicit = false);
