using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Cli.Commands;

/// <summary>
/// The record <c>train</c> leaves of itself in its run folder (rank 0 only): when it starts, the
/// previous failure is superseded (<c>failure.json</c> removed); when it ends, a line in
/// <c>attempts.jsonl</c>, and <c>failure.json</c> when it ended in an error (exit code 1 or 2;
/// a stop with a checkpoint, exit code 3, is not a failure). Only for a folder this train is
/// entitled to: one it continues, or one no run has started in (a sweep point's, a submitted
/// job's), never a finished run's folder that a second plain <c>train</c> refuses, nor one
/// another process holds. A folder that does not exist when the error comes gets nothing.
/// </summary>
internal sealed class TrainAttempt
{
    private readonly string _folder;
    private readonly CliHost _host;
    private readonly DateTime _started;

    private TrainAttempt(string folder, CliHost host)
    {
        (_folder, _host) = (folder, host);
        _started = host.Clock.GetUtcNow().UtcDateTime;
    }

    /// <summary>Starts the record for the run in <paramref name="folder"/>; null where nothing is to be recorded.</summary>
    /// <param name="folder">The run folder.</param>
    /// <param name="continuing">This train continues the folder (a resume, or a restart of a failed attempt).</param>
    /// <param name="rankZero">Whether this process is rank 0 (the others record nothing).</param>
    /// <param name="host">Environment (job id, restart count) and clock.</param>
    public static TrainAttempt? Begin(string folder, bool continuing, bool rankZero, CliHost host)
    {
        if (!rankZero || !(continuing || !RunFolder.IsStarted(folder))) return null;
        if (Directory.Exists(folder)) Safely(() => RunAttempt.ClearFailure(folder));
        return new TrainAttempt(folder, host);
    }

    /// <summary>Runs <paramref name="train"/> and records how it ended in <paramref name="attempt"/> (when not null); rethrows its error.</summary>
    public static RunSummary Around(TrainAttempt? attempt, Func<RunSummary> train)
    {
        RunSummary summary;
        try
        {
            summary = train();
        }
        catch (Exception e) when (e is not OperationCanceledException) // a stop while loading: the caller records it as stopped
        {
            attempt?.Failed(e);
            throw;
        }
        attempt?.Ended(summary.Interrupted ? CliApp.Stopped : CliApp.Ok, summary.StopReason);
        return summary;
    }

    /// <summary>The attempt ended without an exception: finished (exit code 0) or stopped with a checkpoint (3).</summary>
    public void Ended(int exitCode, string? reason) =>
        Record(exitCode == CliApp.Ok ? RunAttempt.Finished : RunAttempt.Stopped, exitCode, exitCode == CliApp.Ok ? null : reason);

    /// <summary>The attempt ended with <paramref name="error"/>: recorded with the exit code and the one line the CLI prints for it.</summary>
    public void Failed(Exception error)
    {
        var (code, reason) = error switch
        {
            UserError u => (CliApp.UserMistake, CliApp.OneLine(u.Message)),
            _ when WriteFailure.EnvironmentCause(error) is { } cause => (CliApp.UserMistake, $"a write failed: {cause}"),
            _ => (CliApp.Bug, CliApp.OneLine($"internal error (a bug in hpclearn; the stack trace is in the log): {error.GetType().Name}: {error.Message}")),
        };
        Record(RunAttempt.Failed, code, reason);
    }

    private void Record(string outcome, int exitCode, string? reason)
    {
        // No folder: the error came before the run had one. Held by another: its record, not ours.
        if (!Directory.Exists(_folder) || RunFolderLock.InUse(_folder) is not null) return;
        var env = _host.Environment;
        string? job = env.GetValueOrDefault("SLURM_ARRAY_JOB_ID") is { Length: > 0 } array && env.GetValueOrDefault("SLURM_ARRAY_TASK_ID") is { Length: > 0 } task
            ? $"{array}_{task}"
            : env.GetValueOrDefault("SLURM_JOB_ID") is { Length: > 0 } id ? id : null;
        Safely(() => new RunAttempt
        {
            Attempt = RunAttempt.NextNumber(_folder),
            Outcome = outcome,
            ExitCode = exitCode,
            Reason = reason,
            StartedUtc = _started,
            EndedUtc = _host.Clock.GetUtcNow().UtcDateTime,
            Host = Environment.MachineName,
            JobId = job,
            // Slurm sets SLURM_RESTART_COUNT only once it has requeued the job.
            SlurmRestartCount = int.TryParse(env.GetValueOrDefault("SLURM_RESTART_COUNT"), out int n) ? n : job is null ? null : 0,
        }.Record(_folder));
    }

    // The record is bookkeeping: a folder that cannot take it (disk full, read-only) already gets
    // its one error line from the run itself, and a second line about the record would only hide it.
    private static void Safely(Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is UserError or IOException or UnauthorizedAccessException)
        {
        }
    }
}
