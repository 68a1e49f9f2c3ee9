using System.Globalization;

namespace HpcLearn.Cluster;

/// <summary>
/// When a Slurm job will be stopped: <c>SLURM_JOB_END_TIME</c> (Unix seconds; Slurm 23.02 and
/// later), else <c>squeue -h -j JOBID -o %e</c>, which prints the end time in the local time
/// zone (<c>2025-03-01T14:00:00</c>) or <c>N/A</c>/<c>Unknown</c> when there is no limit.
/// </summary>
internal static class SlurmEndTime
{
    public static DateTimeOffset? Resolve(EnvironmentReader env, string jobId, Func<string, string?>? runCommand, TimeProvider clock)
    {
        if (env.Text("SLURM_JOB_END_TIME") is { } s)
        {
            if (long.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long unix) && unix > 0)
                return DateTimeOffset.FromUnixTimeSeconds(unix);
            throw new UserError($"SLURM_JOB_END_TIME is '{s}', not a Unix time in seconds; Slurm sets it: do not set it by hand");
        }
        if (runCommand is null) return null;
        return ParseSqueue(runCommand($"squeue -h -j {jobId} -o %e"), clock.LocalTimeZone);
    }

    /// <summary>squeue's <c>%e</c> in <paramref name="zone"/>, or null for no limit, no output or an unreadable time.</summary>
    public static DateTimeOffset? ParseSqueue(string? output, TimeZoneInfo zone)
    {
        string? line = output?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (line is null || !DateTime.TryParseExact(line, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            return null;
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
