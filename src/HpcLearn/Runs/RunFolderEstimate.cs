using System.Globalization;

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
        string path = Path.Combine(runDir, "metrics.csv");
        try
        {
            if (!File.Exists(path)) return null;
            var lines = File.ReadAllLines(path).Where(l => l.Trim().Length > 0).ToList();
            if (lines.Count < 2) return null;
            int column = Array.IndexOf(lines[0].Split(',').Select(c => c.Trim()).ToArray(), "seconds");
            if (column < 0) return null;
            var seconds = lines.Skip(1).Select(l => l.Split(','))
                .Select(cells => cells.Length > column && double.TryParse(cells[column], NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && s >= 0 ? s : (double?)null)
                .OfType<double>().TakeLast(3).ToList();
            return seconds.Count > 0 ? seconds.Average() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
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
