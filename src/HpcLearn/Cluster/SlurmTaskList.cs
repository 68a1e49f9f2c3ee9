using System.Globalization;

namespace HpcLearn.Cluster;

/// <summary>
/// Slurm's compressed per-node task counts (<c>SLURM_TASKS_PER_NODE</c>, e.g. <c>2(x3),1</c>:
/// two tasks on each of the first three nodes, one on the fourth).
/// </summary>
internal static class SlurmTaskList
{
    /// <summary>Tasks on node <paramref name="node"/> (0-based), or null when the list is malformed or too short.</summary>
    public static int? OnNode(string? list, int node)
    {
        if (string.IsNullOrWhiteSpace(list) || node < 0) return null;
        int seen = 0;
        foreach (var part in list.Split(','))
        {
            string p = part.Trim();
            int repeat = 1;
            int open = p.IndexOf('(');
            if (open >= 0)
            {
                if (!p.EndsWith(')') || !p.AsSpan(open + 1).StartsWith("x")
                    || !int.TryParse(p.AsSpan(open + 2, p.Length - open - 3), NumberStyles.None, CultureInfo.InvariantCulture, out repeat))
                    return null;
                p = p[..open];
            }
            if (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int count)) return null;
            if (node < seen + repeat) return count;
            seen += repeat;
        }
        return null;
    }
}
