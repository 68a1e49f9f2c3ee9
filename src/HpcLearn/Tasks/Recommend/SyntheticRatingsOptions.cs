using HpcLearn.Config;

namespace HpcLearn.Tasks.Recommend;

/// <summary>
/// The <c>data.synthetic:</c> section: built-in ratings drawn from latent user and item factors,
/// used when <c>data.path</c> is not set. Defaults have MovieLens 100k's shape (943 users,
/// 1,682 items, 100,000 ratings on a 1-5 scale).
/// </summary>
public sealed record SyntheticRatingsOptions : IValidatable
{
    /// <summary>Users. Default 943.</summary>
    public int Users { get; init; } = 943;

    /// <summary>Items. Default 1682.</summary>
    public int Items { get; init; } = 1682;

    /// <summary>Distinct (user, item) ratings. Default 100000.</summary>
    public int Ratings { get; init; } = 100_000;

    /// <summary>Dimension of the true latent factors. Default 8.</summary>
    public int Factors { get; init; } = 8;

    /// <summary>Standard deviation of the true dot product p_u·q_i (the structure a model can learn beyond biases). Default 0.6.</summary>
    public double InteractionStd { get; init; } = 0.6;

    /// <summary>Standard deviation of the Gaussian noise added to each rating: the noise floor of RMSE. Default 0.5.</summary>
    public double Noise { get; init; } = 0.5;

    /// <summary>Zipf exponent of item popularity (0 = every item equally exposed). Default 0.5.</summary>
    public double PopularitySkew { get; init; } = 0.5;

    /// <summary>
    /// Missing-not-at-random strength β: an exposed pair is rated with probability
    /// σ(β (r* − μ)), so liked items are rated more often (0 = missing at random). Default 1.0.
    /// </summary>
    public double Selection { get; init; } = 1.0;

    /// <summary>
    /// Offset t of the selection: an exposed pair is kept with probability σ(β (r* − μ − t)). With a
    /// sharp <see cref="Selection"/> (e.g. 10) and t = 1, only pairs well above the user's usual taste
    /// are kept: the built-in data for implicit feedback, where a user interacts with a few items of
    /// their taste rather than with half the catalogue. Default 0.
    /// </summary>
    public double SelectionOffset { get; init; }

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Users < 2) yield return ("users", "must be at least 2");
        if (Items < 2) yield return ("items", "must be at least 2");
        if (Ratings < 10) yield return ("ratings", "must be at least 10");
        if ((long)Users * Items < 2L * Ratings) yield return ("ratings", "must be at most half of users x items (the matrix must stay sparse)");
        if (Factors < 1) yield return ("factors", "must be at least 1");
        if (InteractionStd < 0) yield return ("interaction_std", "must not be negative");
        if (Noise < 0) yield return ("noise", "must not be negative");
        if (PopularitySkew < 0) yield return ("popularity_skew", "must not be negative");
        if (Selection < 0) yield return ("selection", "must not be negative");
    }
}
