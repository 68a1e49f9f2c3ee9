namespace HpcLearn.Tasks.Recommend;

/// <summary>Divides one ratings log into training and test rows.</summary>
public static class RatingsSplitter
{
    /// <summary>A uniformly random share of the rows (deterministic for a seed).</summary>
    public static (int[] Train, int[] Test) Random(int count, double testFraction, int seed)
        => Data.DataSplit.Random(count, testFraction, seed);

    /// <summary>
    /// Each user's latest rating (largest timestamp; on a tie the later line) is a test row;
    /// a user with a single rating keeps it in training, so every test user has training ratings.
    /// </summary>
    /// <exception cref="UserError">The ratings have no timestamps.</exception>
    public static (int[] Train, int[] Test) LeaveLastOut(RatingsLog log)
    {
        if (!log.HasTimestamps)
            throw new UserError($"{log.Source}: split leave_last_out needs a timestamp column; set data.timestamp_column, or use split: random");
        var rows = log.Rows;
        var last = new Dictionary<string, int>(StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int k = 0; k < rows.Count; k++)
        {
            var u = rows[k].User;
            counts[u] = counts.GetValueOrDefault(u) + 1;
            if (!last.TryGetValue(u, out int best) || rows[k].Timestamp >= rows[best].Timestamp) last[u] = k;
        }
        var test = last.Where(p => counts[p.Key] >= 2).Select(p => p.Value).Order().ToArray();
        if (test.Length == 0)
            throw new UserError($"{log.Source}: no user has two or more ratings, so leave_last_out leaves nothing to test; use split: random");
        var isTest = new bool[rows.Count];
        foreach (int k in test) isTest[k] = true;
        return (Enumerable.Range(0, rows.Count).Where(k => !isTest[k]).ToArray(), test);
    }
}
