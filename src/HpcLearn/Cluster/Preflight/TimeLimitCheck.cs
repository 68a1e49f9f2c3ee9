using System.Globalization;
using HpcLearn.Cluster.Slurm;

namespace HpcLearn.Cluster.Preflight;

/// <summary>
/// The wall time against the checkpoint margin: training stops <c>margin_seconds</c> before the end,
/// so a limit inside the margin plus a minute to start trains nothing, and the requeue repeats that for ever.
/// </summary>
internal static class TimeLimitCheck
{
    /// <summary>Time for the job to start (dotnet, data loading) before it can train at all.</summary>
    public const int StartSeconds = 60;

    public static IEnumerable<PreflightFinding> Run(PreflightPlan plan, SlurmPartition? partition)
    {
        var c = plan.Cluster;
        TimeSpan? limit;
        string what;
        if (c.Time is { } text)
        {
            if (!SlurmDuration.TryParse(text, out limit)) yield break; // validation names a bad value
            what = $"{plan.Name("time")} {text.Trim()}";
        }
        else if (partition?.EffectiveDefaultTime is { } d)
        {
            limit = d;
            what = $"no --time: partition {partition.Name}'s default time limit {SlurmDuration.Format(d)}";
        }
        else yield break;
        if (limit is not { } l) yield break; // unlimited

        int margin = c.MarginSeconds;
        long total = (long)l.TotalSeconds, left = total - margin, floor = margin + StartSeconds;
        string seconds = total.ToString(CultureInfo.InvariantCulture);
        if (total < floor)
        {
            yield return PreflightFinding.Problem(
                $"{what} ({seconds} s) leaves {(left <= 0 ? "no time" : $"only {left} s")} to train before the {margin} s checkpoint margin (cluster.margin_seconds); " +
                $"give at least {SlurmDuration.Format(TimeSpan.FromSeconds(floor))} (the margin plus {StartSeconds} s to start), or lower cluster.margin_seconds");
            yield break;
        }
        if (plan.EpochSeconds is { } epoch && total < floor + epoch)
            yield return PreflightFinding.Warning(
                $"{what} leaves {left} s per attempt before the {margin} s checkpoint margin, less than a start and one epoch ({epoch:0} s in metrics.csv): " +
                $"every attempt stops mid-epoch and the run advances only through requeues; give at least {SlurmDuration.Format(TimeSpan.FromSeconds(floor + epoch))}");
    }
}
