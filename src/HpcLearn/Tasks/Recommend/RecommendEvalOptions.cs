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

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (K < 1) yield return ("k", "must be at least 1");
    }
}
