using System.Globalization;

namespace HpcLearn.Cluster.Slurm;

/// <summary>
/// Job array index lists as Slurm writes them (<c>--array=0-9%4</c>, <c>3,7</c>, squeue's <c>%K</c>
/// of a pending range, scontrol's <c>ArrayTaskId=4-6</c>), and back.
/// </summary>
public static class SlurmArray
{
    /// <summary>
    /// The indices of <paramref name="spec"/> (<c>0-3%2</c>, <c>3,7</c>, <c>[4-6]</c>, <c>1-9:2</c>);
    /// empty for <c>N/A</c> or anything else that is not an index list.
    /// </summary>
    public static IReadOnlyList<int> Indices(string? spec)
    {
        if (spec is null) return [];
        string s = spec.Trim().Trim('[', ']');
        int percent = s.IndexOf('%');
        if (percent >= 0) s = s[..percent];
        var indices = new List<int>();
        foreach (var part in s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (range, step) = part.Split(':') is [var r, var st] && int.TryParse(st, NumberStyles.None, CultureInfo.InvariantCulture, out int k) && k > 0
                ? (r, k) : (part, 1);
            var ends = range.Split('-');
            if (ends.Length == 1 && Int(ends[0]) is { } one) indices.Add(one);
            else if (ends.Length == 2 && Int(ends[0]) is { } from && Int(ends[1]) is { } to && to >= from && to - from < 1_000_000)
                for (int i = from; i <= to; i += step) indices.Add(i);
            else return [];
        }
        return indices;
    }

    /// <summary>An index list for <c>--array</c>, ranges folded: <c>1-3,7</c>.</summary>
    public static string Format(IEnumerable<int> indices)
    {
        var sorted = indices.Distinct().Order().ToList();
        var parts = new List<string>();
        for (int i = 0; i < sorted.Count;)
        {
            int j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1) j++;
            parts.Add(j == i ? Text(sorted[i]) : j == i + 1 ? $"{Text(sorted[i])},{Text(sorted[j])}" : $"{Text(sorted[i])}-{Text(sorted[j])}");
            i = j + 1;
        }
        return string.Join(",", parts);
    }

    private static string Text(int i) => i.ToString(CultureInfo.InvariantCulture);

    private static int? Int(string s) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? i : null;
}
