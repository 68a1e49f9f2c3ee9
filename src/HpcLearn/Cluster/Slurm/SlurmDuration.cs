using System.Globalization;

namespace HpcLearn.Cluster.Slurm;

/// <summary>
/// Slurm's durations, as <c>--time</c> takes them and <c>scontrol</c> prints them: minutes (<c>30</c>),
/// <c>MM:SS</c>, <c>HH:MM:SS</c>, <c>D-HH</c>, <c>D-HH:MM</c>, <c>D-HH:MM:SS</c>, and <c>UNLIMITED</c>/<c>INFINITE</c>.
/// </summary>
public static class SlurmDuration
{
    /// <summary>
    /// Reads <paramref name="text"/>; <paramref name="duration"/> is null for no limit (<c>UNLIMITED</c>,
    /// <c>INFINITE</c>). False for anything else (also <c>NONE</c> or <c>N/A</c>).
    /// </summary>
    public static bool TryParse(string text, out TimeSpan? duration)
    {
        duration = null;
        var t = text.Trim().ToLowerInvariant();
        if (t is "unlimited" or "infinite") return true;
        int days = 0;
        int dash = t.IndexOf('-');
        if (dash >= 0)
        {
            if (!Number(t[..dash], out days)) return false;
            t = t[(dash + 1)..];
        }
        var parts = t.Split(':');
        var n = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!Number(parts[i], out n[i])) return false;
        // Without a day part: minutes, MM:SS, HH:MM:SS; with one: hours first.
        long seconds = (dash >= 0, n.Length) switch
        {
            (false, 1) => n[0] * 60L,
            (false, 2) => n[0] * 60L + n[1],
            (false, 3) => n[0] * 3600L + n[1] * 60L + n[2],
            (true, 1) => n[0] * 3600L,
            (true, 2) => n[0] * 3600L + n[1] * 60L,
            (true, 3) => n[0] * 3600L + n[1] * 60L + n[2],
            _ => -1,
        };
        if (seconds < 0) return false;
        duration = TimeSpan.FromSeconds(days * 86400L + seconds);
        return true;
    }

    /// <summary><paramref name="duration"/> as Slurm writes it: <c>HH:MM:SS</c>, or <c>D-HH:MM:SS</c> from a day on.</summary>
    public static string Format(TimeSpan duration)
    {
        long s = (long)Math.Ceiling(duration.TotalSeconds);
        long days = s / 86400, h = s / 3600 % 24, m = s / 60 % 60, sec = s % 60;
        string hms = string.Create(CultureInfo.InvariantCulture, $"{h:00}:{m:00}:{sec:00}");
        return days > 0 ? string.Create(CultureInfo.InvariantCulture, $"{days}-{hms}") : hms;
    }

    private static bool Number(string s, out int value) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value) && s.Length > 0;
}
