using System.Globalization;

namespace HpcLearn.Tasks.Recommend;

/// <summary>
/// Turns loaded ratings into implicit-feedback interactions: with a threshold, a rating at or above
/// it is an interaction and the others are dropped; without one every row is an interaction. Every
/// interaction's value is 1.
/// </summary>
public static class ImplicitFeedback
{
    /// <summary>The interactions of <paramref name="log"/> and the number of rows dropped by the threshold.</summary>
    public static (RatingsLog Log, int Dropped) From(RatingsLog log, double? positiveFrom)
    {
        var kept = log.Rows.Where(r => positiveFrom is not { } t || r.Value >= t).Select(r => r with { Value = 1f }).ToList();
        return (log with { Rows = kept }, log.Rows.Count - kept.Count);
    }

    /// <summary>
    /// <see cref="From"/> for data (training or test): a <see cref="UserError"/> when the threshold
    /// leaves nothing; a line on <paramref name="log"/> saying what became of the ratings.
    /// </summary>
    public static RatingsLog Interactions(RatingsLog ratings, double? positiveFrom, TextWriter log)
    {
        var (kept, dropped) = From(ratings, positiveFrom);
        var c = CultureInfo.InvariantCulture;
        if (positiveFrom is { } t)
        {
            if (kept.Rows.Count == 0)
                throw new UserError(string.Create(c, $"{ratings.Source}: no rating is >= data.positive_from ({t:G}), so there are no interactions; lower data.positive_from"));
            log.WriteLine(string.Create(c, $"implicit feedback: {kept.Rows.Count} ratings >= {t:G} of {ratings.Source} are interactions; {dropped} lower ratings dropped"));
        }
        else if (ratings.HasRatings)
            log.WriteLine($"implicit feedback: the rating column of {ratings.Source} is ignored and every line is an interaction; set data.positive_from to keep only ratings at or above a value");
        return kept;
    }
}
