using HpcLearn.Runs.Metrics;

namespace HpcLearn.Runs;

/// <summary>
/// What an existing run folder says about the next attempt, cheaply and without loading anything:
/// how long an epoch takes (the <c>seconds</c> column of metrics.csv) and how large a checkpoint is.
/// For the pre-flight check of a job that resumes a run.
/// </summary>
public static class RunFolderEstimate
{
    /// <summary>The mean of the last three epochs' <c>seconds</c> in <c>RUN/metrics.csv</c>; null when there is none to read.</summary>
    public static double? EpochSeconds(string runDir)
    {
        // A negative time is no measurement: leave it out rather than shorten the estimate.
        var valid = MetricsCsvReader.LastValues(Path.Combine(runDir, MetricsLog.FileName), "seconds", int.MaxValue).Where(s => s >= 0).TakeLast(3).ToList();
        return valid.Count > 0 ? valid.Average() : null;
    }

    /// <summary>The size of the largest checkpoint in <c>RUN/checkpoints/</c>; null when there is none.</summary>
    public static long? CheckpointBytes(string runDir)
    {
        string dir = Path.Combine(runDir, "checkpoints");
        try
        {
            if (!Directory.Exists(dir)) return null;
            var sizes = Directory.GetFiles(dir, "epoch-*.ckpt").Select(f => new FileInfo(f).Length).ToList();
            return sizes.Count > 0 ? sizes.Max() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
