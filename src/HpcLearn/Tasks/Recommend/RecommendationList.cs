namespace HpcLearn.Tasks.Recommend;

/// <summary>A ranked list of items and, when the user or item was unknown, what was done instead.</summary>
/// <param name="Items">Best first.</param>
/// <param name="ScoreName">What <see cref="RecommendedItem.Score"/> is: "predicted rating", "cosine similarity", ...</param>
/// <param name="ColdStart">Null when the model ranked the list; else a line saying which baseline did and why.</param>
public sealed record RecommendationList(IReadOnlyList<RecommendedItem> Items, string ScoreName, string? ColdStart);
