namespace HpcLearn.Tasks.Recommend;

/// <summary>Synthetic ratings and, for each, the best possible prediction E[rating | structure].</summary>
/// <param name="Log">The ratings, as a file would give them.</param>
/// <param name="Truth">Per rating, in the same order: the expected (clamped) rating; the RMSE of the ratings against it is the noise floor.</param>
public sealed record SyntheticRatingsResult(RatingsLog Log, float[] Truth);
