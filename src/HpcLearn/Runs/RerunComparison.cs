using System.Globalization;

namespace HpcLearn.Runs;

/// <summary>One metric of a rerun beside the original's.</summary>
/// <param name="Metric">The metric's name in summary.json.</param>
/// <param name="Original">The original run's value.</param>
/// <param name="Rerun">The rerun's value, or null when the rerun has no such metric.</param>
/// <param name="Flagged">Whether the difference goes beyond what the run's determinism allows.</param>
public sealed record RerunMetric(string Metric, double Original, double? Rerun, bool Flagged)
{
    /// <summary>Rerun minus original (0 for two NaNs), or null when the rerun lacks the metric.</summary>
    public double? Difference => Rerun is not { } r ? null : double.IsNaN(r) && double.IsNaN(Original) ? 0 : r - Original;

    /// <summary>Whether the two values are the same double (two NaNs count as the same).</summary>
    public bool Equal => Rerun is { } r && (r.Equals(Original));
}

/// <summary>
/// A rerun's metrics beside the original run's, judged by the determinism the two runs allow
/// (docs/training.md, Determinism): with the same build, CPU, device cpu, thread count and ranks the
/// run is bit for bit, so any difference is flagged; otherwise a metric may differ by
/// <see cref="RelativeTolerance"/> of its value (at least <see cref="AbsoluteTolerance"/>).
/// </summary>
public sealed record RerunComparison
{
    /// <summary>The tolerance of a rerun that cannot be bit for bit, relative to the original value.</summary>
    public const double RelativeTolerance = 0.01;

    /// <summary>The least tolerance, for values near zero.</summary>
    public const double AbsoluteTolerance = 1e-3;

    /// <summary>The metrics, in the original summary's order.</summary>
    public IReadOnlyList<RerunMetric> Metrics { get; init; } = [];

    /// <summary>Whether bit-for-bit equality is expected (the same build, CPU, device cpu, threads and ranks).</summary>
    public bool ExactExpected { get; init; }

    /// <summary>Why the rerun is or is not expected to be bit for bit, for people.</summary>
    public string Why { get; init; } = "";

    /// <summary>Whether model/model.safetensors of the two runs are the same bytes; null when either has none.</summary>
    public bool? SameWeights { get; init; }

    /// <summary>Whether anything went beyond what the run's determinism allows.</summary>
    public bool Flagged => Metrics.Any(m => m.Flagged) || (ExactExpected && SameWeights == false);

    /// <summary>The verdict in one line.</summary>
    public string Verdict
    {
        get
        {
            int n = Metrics.Count, flagged = Metrics.Count(m => m.Flagged);
            string tolerance = string.Create(CultureInfo.InvariantCulture, $"{RelativeTolerance * 100:0.##}%");
            if (ExactExpected)
                return Flagged
                    ? $"NOT reproduced: {(flagged > 0 ? $"{flagged} of {n} metrics differ" : "the weights differ")} where bit for bit is expected ({Why})"
                    : $"reproduced bit for bit: {n} metrics equal{(SameWeights == true ? ", weights identical" : "")} ({Why})";
            return flagged > 0
                ? $"NOT reproduced: {flagged} of {n} metrics differ by more than {tolerance} ({Why}, so a tolerance applies)"
                : $"reproduced within tolerance ({tolerance}): {Metrics.Count(m => m.Equal)} of {n} metrics equal ({Why}, so bit for bit is not expected)";
        }
    }

    /// <summary>
    /// Compares <paramref name="rerun"/>'s metrics with <paramref name="original"/>'s; timings
    /// (<c>*_seconds</c>, <c>*_per_second</c>) are left out, being no property of the result.
    /// </summary>
    public static RerunComparison Of(IReadOnlyDictionary<string, double> original, IReadOnlyDictionary<string, double> rerun,
        bool exactExpected, string why, bool? sameWeights)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(rerun);
        var rows = original.Where(p => !IsTiming(p.Key)).Select(p =>
        {
            double? now = rerun.TryGetValue(p.Key, out double v) ? v : null;
            var row = new RerunMetric(p.Key, p.Value, now, Flagged: false);
            bool flagged = now is null || (exactExpected ? !row.Equal : !row.Equal && !Within(p.Value, now.Value));
            return row with { Flagged = flagged };
        }).ToList();
        return new RerunComparison { Metrics = rows, ExactExpected = exactExpected, Why = why, SameWeights = sameWeights };
    }

    /// <summary>Whether <paramref name="rerun"/> is within the tolerance of <paramref name="original"/>.</summary>
    public static bool Within(double original, double rerun) =>
        Math.Abs(rerun - original) <= Math.Max(AbsoluteTolerance, RelativeTolerance * Math.Abs(original));

    /// <summary>The table as aligned text: metric, original, rerun, difference, and a mark on the flagged rows.</summary>
    public string ToText()
    {
        var rows = new List<string[]> { new[] { "metric", "original", "rerun", "difference", "" } };
        foreach (var m in Metrics)
            rows.Add([m.Metric, Number(m.Original), m.Rerun is { } r ? Number(r) : "(none)",
                m.Difference is { } d ? (d == 0 ? "0" : d.ToString("+0.###E+0;-0.###E+0", CultureInfo.InvariantCulture)) : "",
                m.Flagged ? "<< differs" : m.Equal ? "" : "within tolerance"]);
        int[] widths = Enumerable.Range(0, 5).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var lines = rows.Select(r => string.Join("  ", r.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(c == 4 ? 0 : widths[c]))).TrimEnd());
        return string.Join("\n", lines) + "\n";
    }

    // Enough digits to tell two doubles apart when they differ in the last bits.
    private static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static bool IsTiming(string key) =>
        key.EndsWith("_seconds", StringComparison.Ordinal) || key.EndsWith("per_second", StringComparison.Ordinal) || key == "seconds";
}
