namespace HpcLearn.Config;

/// <summary>
/// Finds the valid key a user most likely meant (<c>epocs</c> → <c>epochs</c>); the command line
/// uses it too, for commands and options (<c>trian</c> → <c>train</c>, <c>--sett</c> → <c>--set</c>).
/// </summary>
public static class KeySuggestion
{
    /// <summary>
    /// The valid key nearest to <paramref name="typed"/> by edit distance, or null when none is
    /// close enough to be a plausible typo (distance at most max(2, length / 3)).
    /// A key that differs only in case or underscores (<c>BatchSize</c>) always matches.
    /// </summary>
    public static string? Nearest(string typed, IEnumerable<string> valid)
    {
        var loose = SnakeCase.Loose(typed);
        var lower = typed.ToLowerInvariant();
        int limit = Math.Max(2, typed.Length / 3);
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var key in valid)
        {
            int d = SnakeCase.Loose(key) == loose ? 0 : Levenshtein(lower, key);
            if (d < bestDistance) (best, bestDistance) = (key, d);
        }
        return bestDistance <= limit ? best : null;
    }

    /// <summary>Edit distance: insertions, deletions and substitutions each cost 1.</summary>
    public static int Levenshtein(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
