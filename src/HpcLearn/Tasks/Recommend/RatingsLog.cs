namespace HpcLearn.Tasks.Recommend;

/// <summary>
/// The ratings of one file after loading: one per (user, item) pair, in file order of each
/// pair's first appearance. A pair that appears again takes the later line's rating and timestamp
/// (last wins); <see cref="Duplicates"/> counts those lines.
/// </summary>
/// <param name="Source">The file (or a description of built-in data).</param>
/// <param name="Rows">The ratings.</param>
/// <param name="Duplicates">Lines that repeated an earlier (user, item) pair.</param>
/// <param name="FirstDuplicateLine">The first such line, or 0.</param>
/// <param name="HasTimestamps">Whether the file had a timestamp column.</param>
/// <param name="HasRatings">Whether the file had a rating column (a pairs file for predict may not; implicit feedback without a threshold ignores it).</param>
public sealed record RatingsLog(string Source, IReadOnlyList<Rating> Rows, int Duplicates, int FirstDuplicateLine, bool HasTimestamps, bool HasRatings)
{
    /// <summary>One line for the log about duplicates, or null when there were none.</summary>
    public string? DuplicateNote => Duplicates == 0 ? null
        : $"{Source}: {Duplicates} repeated (user, item) pair{(Duplicates == 1 ? "" : "s")} (first at line {FirstDuplicateLine}); the last rating of each pair was kept";
}
