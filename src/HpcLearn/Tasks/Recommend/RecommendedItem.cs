namespace HpcLearn.Tasks.Recommend;

/// <summary>One line of a recommendation list.</summary>
/// <param name="Rank">1-based position.</param>
/// <param name="Item">Item id as in the data.</param>
/// <param name="Title">Title, or "" when unknown.</param>
/// <param name="Score">Predicted rating (recommend), cosine similarity (similar-to), or the baseline's score (cold start).</param>
public sealed record RecommendedItem(int Rank, string Item, string Title, double Score);
