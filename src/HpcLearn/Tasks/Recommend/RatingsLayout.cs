namespace HpcLearn.Tasks.Recommend;

/// <summary>
/// Where the fields of a ratings file are: separator, header, and the user, item, rating and
/// timestamp columns. A column is a header name or a 1-based position ("3"); null picks the
/// usual names (userId, movieId, rating, timestamp, ...) from a header, or positions 1-4 without one.
/// </summary>
/// <param name="Separator">Field separator; null detects it from the first line ("::", tab, comma, semicolon or '|').</param>
/// <param name="Header">Whether the first line names the columns; null: yes when none of its fields is a number.</param>
/// <param name="User">The user column.</param>
/// <param name="Item">The item column.</param>
/// <param name="Rating">The rating column (absent in a pairs file for predict).</param>
/// <param name="Timestamp">The timestamp column (optional).</param>
public sealed record RatingsLayout(
    string? Separator = null, bool? Header = null, string? User = null, string? Item = null, string? Rating = null, string? Timestamp = null);
