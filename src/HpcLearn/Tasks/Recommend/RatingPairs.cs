namespace HpcLearn.Tasks.Recommend;

/// <summary>
/// Ratings with dense ids, as parallel arrays. An id of -1 is a user or item the training data
/// does not have (cold start): no model embedding exists for it, so the baseline predicts it.
/// </summary>
/// <param name="Users">Dense user id per pair, or -1.</param>
/// <param name="Items">Dense item id per pair, or -1.</param>
/// <param name="Ratings">Rating per pair.</param>
public sealed record RatingPairs(int[] Users, int[] Items, float[] Ratings)
{
    /// <summary>Number of pairs.</summary>
    public int Count => Users.Length;

    /// <summary>Whether pair <paramref name="k"/> has both a known user and a known item.</summary>
    public bool IsWarm(int k) => Users[k] >= 0 && Items[k] >= 0;

    /// <summary>Maps <paramref name="rows"/> through the id maps.</summary>
    public static RatingPairs From(IReadOnlyList<Rating> rows, IdMap users, IdMap items) => new(
        rows.Select(r => users.Find(r.User)).ToArray(),
        rows.Select(r => items.Find(r.Item)).ToArray(),
        rows.Select(r => r.Value).ToArray());

    /// <summary>The pairs at <paramref name="indices"/>.</summary>
    public RatingPairs Take(int[] indices) => new(
        indices.Select(k => Users[k]).ToArray(), indices.Select(k => Items[k]).ToArray(), indices.Select(k => Ratings[k]).ToArray());
}
