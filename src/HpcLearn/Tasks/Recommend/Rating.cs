namespace HpcLearn.Tasks.Recommend;

/// <summary>One rating as read: ids as written in the file, the value, a timestamp (0 when absent) and the file line.</summary>
/// <param name="User">User id, as in the file (any string).</param>
/// <param name="Item">Item id, as in the file.</param>
/// <param name="Value">The rating (1 for a pairs file without ratings).</param>
/// <param name="Timestamp">Seconds (or any increasing number); 0 when the file has none.</param>
/// <param name="Line">1-based line in the file, for messages.</param>
public readonly record struct Rating(string User, string Item, float Value, long Timestamp, int Line);
