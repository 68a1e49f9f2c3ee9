using System.Globalization;

namespace HpcLearn.Tasks.Recommend;

/// <summary>
/// Loads ratings from a delimited file: MovieLens <c>u.data</c> (tab, no header: user item rating
/// timestamp), <c>ratings.csv</c> (header userId,movieId,rating,timestamp), <c>ratings.dat</c>
/// ("::"), or any CSV/TSV whose columns the <see cref="RatingsLayout"/> names. Ids are strings.
/// Bad lines are refused with the file and line; repeated pairs keep the last rating (counted).
/// </summary>
public static class RatingsFile
{
    private static readonly string[] UserNames = ["userId", "user_id", "user", "uid"];
    private static readonly string[] ItemNames = ["movieId", "itemId", "item_id", "item", "bookId", "book_id", "ISBN", "iid"];
    private static readonly string[] RatingNames = ["rating", "score", "stars", "Book-Rating"];
    private static readonly string[] TimeNames = ["timestamp", "time", "unix_time", "date"];

    /// <summary>Loads <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="layout">Separator, header and columns.</param>
    /// <param name="requireRatings">Training and evaluation data need a rating column; a pairs file for predict does not.</param>
    /// <param name="min">Declared lowest rating: a lower one is an error (null: no check).</param>
    /// <param name="max">Declared highest rating.</param>
    /// <param name="interactions">
    /// Implicit feedback: unless <paramref name="requireRatings"/>, a rating column is not read (every
    /// value is 1, <see cref="RatingsLog.HasRatings"/> says whether the file had one), and a file of
    /// exactly three columns without a header is user, item, timestamp.
    /// </param>
    /// <exception cref="UserError">Missing or empty file, unknown column, ragged line, a rating that is not a number or out of range, empty id.</exception>
    public static RatingsLog Load(string path, RatingsLayout layout, bool requireRatings = true, double? min = null, double? max = null, bool interactions = false)
    {
        using var text = DelimitedText.Open(path, layout.Separator, layout.Header);
        int user = text.Column(layout.User, UserNames, 0, "data.user_column", optional: false);
        int item = text.Column(layout.Item, ItemNames, 1, "data.item_column", optional: false);
        bool ignoreRating = interactions && !requireRatings;
        bool userItemTime = ignoreRating && layout is { Rating: null, Timestamp: null } && text.Header is null && text.FirstFields.Length == 3;
        int rating = userItemTime ? -1 : text.Column(layout.Rating, RatingNames, 2, "data.rating_column", optional: !requireRatings);
        int time = userItemTime ? 2 : text.Column(layout.Timestamp, TimeNames, 3, "data.timestamp_column", optional: true);
        if (layout.Timestamp is null && (time == user || time == item || time == rating)) time = -1; // a default position taken by a named column
        if (user == item) throw new UserError($"{path}: data.user_column and data.item_column are the same column ({user + 1}); set one of them");
        if (rating >= 0 && (rating == user || rating == item)) throw new UserError($"{path}: the rating column ({rating + 1}) is also the user or item column; set data.rating_column");
        bool hadRatings = rating >= 0;
        if (ignoreRating) rating = -1;
        int needed = new[] { user, item, rating, time }.Max() + 1;

        var rows = new List<Rating>();
        var index = new Dictionary<(string, string), int>();
        int duplicates = 0, firstDuplicate = 0;
        foreach (var (f, line) in text.Rows())
        {
            if (f.Length < needed)
                throw new UserError($"{path}:{line}: has {f.Length} field{(f.Length == 1 ? "" : "s")}, expected at least {needed} (separator '{(text.Separator == "\t" ? "tab" : text.Separator)}'); fix the line or set data.separator");
            string u = f[user], i = f[item];
            if (u.Length == 0) throw new UserError($"{path}:{line}: the user id is empty; every line needs a user and an item");
            if (i.Length == 0) throw new UserError($"{path}:{line}: the item id is empty; every line needs a user and an item");
            float value = rating < 0 ? 1f : ParseRating(f[rating], path, line, min, max);
            long stamp = time < 0 ? 0 : ParseTime(f[time], path, line);
            var r = new Rating(u, i, value, stamp, line);
            if (index.TryGetValue((u, i), out int at))
            {
                rows[at] = r; // last wins
                if (duplicates++ == 0) firstDuplicate = line;
            }
            else
            {
                index[(u, i)] = rows.Count;
                rows.Add(r);
            }
        }
        if (rows.Count == 0) throw new UserError($"{path}: has a header line but no ratings");
        return new RatingsLog(path, rows, duplicates, firstDuplicate, time >= 0, hadRatings);
    }

    private static float ParseRating(string s, string path, int line, double? min, double? max)
    {
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            throw new UserError($"{path}:{line}: rating '{DelimitedText.Snippet(s)}' is not a number; fix the line, or set data.rating_column if this is not the rating column");
        if ((min is { } lo && v < lo) || (max is { } hi && v > hi))
            throw new UserError($"{path}:{line}: rating {s} is outside the declared range [{Num(min)}, {Num(max)}]; fix the line or change data.rating_min / data.rating_max");
        return (float)v;
    }

    private static long ParseTime(string s, string path, int line)
    {
        if (long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long t)) return t;
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d)) return (long)Math.Floor(d);
        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when)) return when.ToUnixTimeSeconds();
        throw new UserError($"{path}:{line}: timestamp '{DelimitedText.Snippet(s)}' is neither a number nor a date; fix the line or set data.timestamp_column");
    }

    private static string Num(double? v) => v is { } x ? x.ToString("G", CultureInfo.InvariantCulture) : "any";
}
