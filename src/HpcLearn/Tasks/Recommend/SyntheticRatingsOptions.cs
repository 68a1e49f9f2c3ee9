using HpcLearn.Config;

namespace HpcLearn.Tasks.Recommend;

/// <summary>
/// The <c>data.synthetic:</c> section: built-in ratings drawn from latent user and item factors,
/// used when <c>data.path</c> is not set. The defaults imitate MovieLens 100k, the data set most
/// recommender figures are quoted on: its shape (943 users, 1,682 items, 100,000 whole-star ratings
/// on a 1-5 scale), its long tails (item exposure log-normal with σ 1.25: the mean item has about
/// twice the median's ratings, as in ML-100k's 59.5 against 27; user activity log-normal with σ 1),
/// popular items rated higher (correlation 0.4 between log exposure and item quality), ratings
/// missing not at random, and a rating noise that leaves the user+item biases baseline near the
/// RMSE it has on MovieLens (≈ 0.94). docs/recommend.md lists what each default was set to match.
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

    /// <summary>Standard deviation of the Gaussian noise added to each rating (with <see cref="Stars"/>, before rounding). Default 0.85.</summary>
    public double Noise { get; init; } = 0.85;

    /// <summary>Whether ratings are whole stars (rounded to the nearest integer after the noise, as MovieLens' are). Default true.</summary>
    public bool Stars { get; init; } = true;

    /// <summary>Zipf exponent of item popularity over a random ranking of the items (0 = no Zipf factor). Default 0.</summary>
    public double PopularitySkew { get; init; }

    /// <summary>
    /// σ of the log-normal factor of item exposure (0 = none): item i is drawn with weight
    /// rank^−skew · exp(σ z_i). 1.25 gives MovieLens 100k's long tail (mean ratings per item about
    /// 2.2 times the median). Default 1.25.
    /// </summary>
    public double PopularitySigma { get; init; } = 1.25;

    /// <summary>
    /// Correlation between an item's log exposure z_i and its bias b_i (popular items are better
    /// liked, as in real ratings, which is what makes popularity a strong top-k baseline). Default 0.4.
    /// </summary>
    public double QualityCorrelation { get; init; } = 0.4;

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
        if (PopularitySigma is < 0 or > 5) yield return ("popularity_sigma", "must be from 0 to 5");
        if (QualityCorrelation is < -1 or > 1) yield return ("quality_correlation", "must be from -1 to 1");
        if (Selection < 0) yield return ("selection", "must not be negative");
    }
}
