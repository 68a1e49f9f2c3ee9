using System.Globalization;
using System.Text.RegularExpressions;

namespace HpcLearn.Config;

/// <summary>
/// A duration written as Slurm writes time limits, so a config's budgets read like its
/// <c>cluster.time</c>: minutes (<c>30</c>), <c>MM:SS</c>, <c>HH:MM:SS</c> (<c>04:00:00</c>),
/// <c>D-HH</c>, <c>D-HH:MM</c> or <c>D-HH:MM:SS</c> (<c>1-12:00:00</c>).
/// </summary>
public static partial class WallTime
{
    /// <summary>The formats, for error messages.</summary>
    public const string Formats = "minutes (30), HH:MM:SS (04:00:00) or D-HH:MM:SS (1-12:00:00)";

    /// <summary>The duration <paramref name="text"/> says, or null when it is not one of the <see cref="Formats"/>.</summary>
    public static TimeSpan? Parse(string? text)
    {
        var m = Pattern().Match(text?.Trim() ?? "");
        if (!m.Success) return null;
        long Part(string name) => m.Groups[name].Success ? long.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        long a = Part("a"), b = Part("b"), c = Part("c");
        int fields = 1 + (m.Groups["b"].Success ? 1 : 0) + (m.Groups["c"].Success ? 1 : 0);
        try
        {
            // Slurm: with days, the fields are hours[:minutes[:seconds]]; without, minutes, minutes:seconds or hours:minutes:seconds.
            if (m.Groups["d"].Success) return TimeSpan.FromDays(Part("d")) + TimeSpan.FromHours(a) + TimeSpan.FromMinutes(b) + TimeSpan.FromSeconds(c);
            return fields switch
            {
                1 => TimeSpan.FromMinutes(a),
                2 => TimeSpan.FromMinutes(a) + TimeSpan.FromSeconds(b),
                _ => TimeSpan.FromHours(a) + TimeSpan.FromMinutes(b) + TimeSpan.FromSeconds(c),
            };
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^(?:(?<d>\d{1,5})-)?(?<a>\d{1,7})(?::(?<b>\d{1,2}))?(?::(?<c>\d{1,2}))?$")]
    private static partial Regex Pattern();
}
