using HpcLearn.Config;

namespace HpcLearn.Tasks.Recommend;

/// <summary>
/// The <c>data:</c> section of a recommend config: the ratings file and its layout, the declared
/// rating range, the split, optional titles, and the built-in synthetic data used without a file.
/// </summary>
public sealed record RecommendDataOptions : IValidatable
{
    /// <summary>
    /// explicit: ratings to predict; implicit: interactions without ratings (BPR, see <see cref="PositiveFrom"/>).
    /// Default explicit.
    /// </summary>
    public FeedbackKind Feedback { get; init; } = FeedbackKind.Explicit;

    /// <summary>
    /// Implicit feedback from a file (or synthetic data) with ratings: a rating at or above this is an
    /// interaction and lower ones are dropped. Null (default): the rating column, if any, is ignored
    /// and every line is an interaction.
    /// </summary>
    public double? PositiveFrom { get; init; }

    /// <summary>Ratings file (user, item, rating[, timestamp]), or for implicit feedback interactions (user, item[, timestamp]); null uses <see cref="Synthetic"/> data.</summary>
    public string? Path { get; init; }

    /// <summary>Test ratings for <c>split: files</c> (e.g. MovieLens u1.test beside u1.base); setting it implies that split.</summary>
    public string? TestPath { get; init; }

    /// <summary>Field separator ("tab", ",", "::", ...); null (default) detects it from the first line.</summary>
    public string? Separator { get; init; }

    /// <summary>Whether the first line names the columns; null (default): yes when none of its fields is a number.</summary>
    public bool? Header { get; init; }

    /// <summary>User column: a header name or a 1-based position; null: userId/user_id/user, or column 1.</summary>
    public string? UserColumn { get; init; }

    /// <summary>Item column; null: movieId/itemId/item_id/item/bookId, or column 2.</summary>
    public string? ItemColumn { get; init; }

    /// <summary>Rating column; null: rating, or column 3.</summary>
    public string? RatingColumn { get; init; }

    /// <summary>Timestamp column (for <c>split: leave_last_out</c>); null: timestamp/time, or column 4 when present.</summary>
    public string? TimestampColumn { get; init; }

    /// <summary>Lowest valid rating; a rating below it is an error naming the line. Null (default): the training minimum.</summary>
    public double? RatingMin { get; init; }

    /// <summary>Highest valid rating; null (default): the training maximum.</summary>
    public double? RatingMax { get; init; }

    /// <summary>How test pairs are chosen. Default random (files when <see cref="TestPath"/> is set).</summary>
    public RatingsSplit Split { get; init; } = RatingsSplit.Random;

    /// <summary>Share of pairs held out as the test set by <c>split: random</c>. Default 0.2.</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>
    /// Share of the <em>training</em> pairs set aside for the per-epoch validation (the log's
    /// valid_loss and RMSE, early stopping, the choice of the top-k blend); never the test pairs.
    /// 0 turns per-epoch validation off. Default 0.1.
    /// </summary>
    public double ValidFraction { get; init; } = 0.1;

    /// <summary>Item titles for readable output.</summary>
    public TitlesOptions Titles { get; init; } = new();

    /// <summary>The built-in data, used when <see cref="Path"/> is not set.</summary>
    public SyntheticRatingsOptions Synthetic { get; init; } = new();

    /// <summary>The split in effect: files when a test file is given.</summary>
    public RatingsSplit EffectiveSplit => TestPath is not null ? RatingsSplit.Files : Split;

    /// <summary>The layout of the ratings files.</summary>
    public RatingsLayout Layout => new(Separator, Header, UserColumn, ItemColumn, RatingColumn, TimestampColumn);

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (TestFraction is <= 0 or >= 1) yield return ("test_fraction", "must be between 0 and 1 (exclusive)");
        if (ValidFraction is < 0 or >= 1) yield return ("valid_fraction", "must be from 0 (no per-epoch validation) to below 1");
        if (Split == RatingsSplit.Files && TestPath is null) yield return ("test_path", "must name the test file when split is files");
        if (TestPath is not null && Path is null) yield return ("path", "must name the training file when test_path is set");
        if (RatingMin is { } lo && RatingMax is { } hi && !(lo < hi)) yield return ("rating_min", "must be below rating_max");
        if (PositiveFrom is not null && Feedback != FeedbackKind.Implicit) yield return ("positive_from", "only applies to feedback: implicit; remove it, or set data.feedback: implicit");
        if (Separator is "") yield return ("separator", "must not be empty; use tab, ',', ';', '|' or '::'");
    }
}
