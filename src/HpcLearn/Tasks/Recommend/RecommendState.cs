namespace HpcLearn.Tasks.Recommend;

/// <summary>
/// Everything besides the weights that predict and recommend need: the architecture, the id maps,
/// the rating range, the biases baseline for cold start, the items each user rated in training
/// (never recommended back) and the titles. Stored in model.json's <c>details</c>.
/// </summary>
/// <param name="Model">The architecture options.</param>
/// <param name="Users">User ids by dense id.</param>
/// <param name="Items">Item ids by dense id.</param>
/// <param name="Baselines">The biases baseline (global mean, b_u, b_i, item counts) and the range.</param>
/// <param name="Rated">Dense item ids each user rated in training, by dense user id.</param>
/// <param name="Titles">Titles by item id as written in the data.</param>
/// <param name="Layout">The training file's layout, so a pairs file laid out the same way reads the same.</param>
/// <param name="Eval">The top-k settings of the run, reused by <c>hpclearn evaluate</c>.</param>
/// <param name="Feedback">Ratings (a rating model) or implicit feedback (a BPR model that scores, with popularity as its baseline).</param>
/// <param name="PositiveFrom">For implicit feedback from ratings: the threshold the run applied, reused by <c>hpclearn evaluate</c>.</param>
/// <param name="PopularityWeight">Ratings: the w of the top-k ranking, predicted rating + w · ln(1 + training ratings of the item) (<see cref="PopularityBlend"/>).</param>
public sealed record RecommendState(
    RecommendModelOptions Model, IdMap Users, IdMap Items, RatingBaselines Baselines,
    int[][] Rated, IReadOnlyDictionary<string, string> Titles, RatingsLayout Layout, RecommendEvalOptions Eval,
    FeedbackKind Feedback = FeedbackKind.Explicit, double? PositiveFrom = null, double PopularityWeight = 0)
{
    /// <summary>Whether the model was trained on implicit feedback.</summary>
    public bool IsImplicit => Feedback == FeedbackKind.Implicit;

    /// <summary>The item's title, or "" when unknown.</summary>
    public string Title(string item) => Titles.TryGetValue(item, out var t) ? t : "";
}
