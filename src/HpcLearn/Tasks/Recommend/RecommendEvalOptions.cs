using HpcLearn.Config;

namespace HpcLearn.Tasks.Recommend;

/// <summary>The <c>eval:</c> section: how top-k recommendations are scored on the test pairs.</summary>
public sealed record RecommendEvalOptions : IValidatable
{
    /// <summary>Length of each user's recommendation list (the k of precision@k). Default 10.</summary>
    public int K { get; init; } = 10;

    /// <summary>
    /// A test rating at or above this counts as relevant (a hit); null: the training mean.
    /// Default 4 (MovieLens' "liked it" on 1-5 stars).
    /// </summary>
    public double? RelevantFrom { get; init; } = 4.0;

    /// <summary>
    /// Ratings: the top-k lists rank items by predicted rating + w · ln(1 + the item's training
    /// ratings). Null (default): w is chosen on the validation pairs (see docs/recommend.md); 0 ranks by
    /// predicted rating alone. Unused for implicit feedback (BPR already learns what users pick).
    /// </summary>
    public double? PopularityWeight { get; init; }

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (K < 1) yield return ("k", "must be at least 1");
        if (PopularityWeight is < 0 or > 100 || PopularityWeight is double.NaN) yield return ("popularity_weight", "must be from 0 to 100 (null: chosen on the validation pairs)");
    }
}
