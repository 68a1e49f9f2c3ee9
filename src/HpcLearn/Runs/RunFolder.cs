using System.Globalization;

using HpcLearn.Training;

namespace HpcLearn.Runs;

/// <summary>
/// <c>runs/&lt;name&gt;/</c>: config.yaml, metrics.csv, tensorboard/, checkpoints/, model/,
/// summary.json. A new run never writes into an existing folder's files: it refuses (train)
/// or takes the next free name (quickstart); only <c>--resume</c> continues an existing one, and
/// <c>--resume-if-possible</c> without a valid checkpoint starts again after moving the earlier
/// attempt's files into <c>attempt-failed-TIME/</c> inside the folder.
/// The job files of <c>hpclearn submit</c> (<c>job.*</c>), the lock files and earlier attempts
/// (<c>attempts.jsonl</c>, <c>failure.json</c>, <c>attempt-failed-*</c>) do not count as a started run.
/// <para>
/// The process that opens a folder (rank 0) holds its <see cref="RunFolderLock"/> until
/// <see cref="Dispose"/>, and sweeps what killed writers left: temporary files of
/// <see cref="AtomicFile"/> (in the folder, checkpoints/ and plots/) and <c>model.tmp-*</c> folders.
/// </para>
/// </summary>
public sealed class RunFolder : IDisposable
{
    private RunFolderLock? _lock;
    private readonly System.Diagnostics.Stopwatch _held = System.Diagnostics.Stopwatch.StartNew();
    private double? _trainSeconds;

    private RunFolder(string path, RunFolderLock? held = null) => (Root, _lock) = (path, held);

    /// <summary>The folder.</summary>
    public string Root { get; }

    /// <summary>The run's resolved config.</summary>
    public string ConfigPath => Path.Combine(Root, "config.yaml");
    /// <summary>Checkpoints.</summary>
    public string CheckpointDir => Path.Combine(Root, "checkpoints");
    /// <summary>The model artifact.</summary>
    public string ModelDir => Path.Combine(Root, "model");
    /// <summary>Data card, confusion matrix, calibration and per-group metrics.</summary>
    public string EvaluationPath => Path.Combine(Root, "evaluation.json");
    /// <summary>Final metrics, baseline and timings.</summary>
    public string SummaryPath => Path.Combine(Root, "summary.json");

    /// <summary>The prefix of the folders that keep an earlier attempt's files (<c>attempt-failed-20250102T030405Z</c>).</summary>
    public const string AttemptPrefix = "attempt-failed-";

    /// <summary>The prefix of the job files a submitted run folder holds before its run starts.</summary>
    public const string JobFilePrefix = "job.";

    /// <summary>Opens the run folder for <paramref name="name"/> under <paramref name="root"/> and locks it.</summary>
    public static RunFolder Open(string root, string name, bool resume, bool fresh)
        => Open(root, name, resume, fresh, restartFailedAttempt: false, TextWriter.Null);

    /// <summary>Opens and locks the run folder of the run <paramref name="ctx"/> describes (rank 0 only).</summary>
    public static RunFolder Open(RunContext ctx, string name)
        => Open(ctx.RunsRoot, name, ctx.Resume, ctx.FreshFolder, ctx.RestartFailedAttempt, ctx.Out);

    /// <summary>
    /// Opens the run folder for <paramref name="name"/> under <paramref name="root"/>, locks it (a
    /// <see cref="UserError"/> naming the holder when another process has it) and sweeps what killed
    /// writers left. Dispose the result when the run ends to release the lock.
    /// </summary>
    /// <param name="root">The folder of run folders.</param>
    /// <param name="name">The run's name.</param>
    /// <param name="resume">Continue an existing folder (it must exist).</param>
    /// <param name="fresh">Take the next free name (name-2, name-3, ...) when the folder is started or in use.</param>
    /// <param name="restartFailedAttempt">
    /// When the folder is started (and this run does not resume), move its files into
    /// <c>attempt-failed-TIME/</c> and start in it, instead of refusing: for an attempt that left no
    /// valid checkpoint.
    /// </param>
    /// <param name="log">Where the lines about a stale lock or moved files go.</param>
    public static RunFolder Open(string root, string name, bool resume, bool fresh, bool restartFailedAttempt, TextWriter log)
    {
        if (name.IndexOfAny(['/', '\\']) >= 0 || name is "." or "..")
            throw new UserError($"run name '{name}' must be a plain folder name (no '/'); set name: in the config");
        string path = Path.Combine(root, name);
        if (resume)
        {
            if (!Directory.Exists(path))
                throw new UserError($"--resume: run folder '{path}' does not exist; start the run without --resume first");
            return Locked(path, log);
        }
        if (fresh)
        {
            for (int i = 2; ; path = Path.Combine(root, $"{name}-{i++}"))
            {
                if (IsStarted(path)) continue;
                WriteFailure.CreateDirectory(path);
                // Two quickstarts at once: the one that loses the lock moves on to the next name.
                var held = RunFolderLock.TryAcquire(path, log, out _);
                if (held is null) continue;
                if (!IsStarted(path)) return Swept(new RunFolder(path, held), log);
                held.Dispose();
            }
        }
        if (IsStarted(path) && !restartFailedAttempt) throw AlreadyExists(path);
        WriteFailure.CreateDirectory(path);
        var folder = Locked(path, log);
        try
        {
            if (IsStarted(path))
            {
                if (!restartFailedAttempt) throw AlreadyExists(path); // started by another run since the check above
                folder.MoveAttemptAside(log);
            }
            return folder;
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Whether a run has started in <paramref name="path"/>: it holds anything besides the job files
    /// that <c>hpclearn submit</c> writes before the job runs (<c>job.sbatch</c>, <c>job.yaml</c>,
    /// <c>job.log</c>, <c>job.id</c>, <c>job.pid</c>: names starting with <c>job.</c>), the lock
    /// files, the record of earlier attempts (<c>attempts.jsonl</c>, <c>failure.json</c>) and the
    /// <c>attempt-failed-*</c> folders of earlier attempts.
    /// </summary>
    public static bool IsStarted(string path) => Directory.Exists(path)
        && Directory.EnumerateFileSystemEntries(path).Any(e => !IsBookkeeping(Path.GetFileName(e)));

    /// <summary>
    /// The folder another process (rank 0 of a data-parallel run) opens: same path, nothing
    /// created, checked or locked here.
    /// </summary>
    public static RunFolder At(string root, string name) => new(Path.Combine(root, name));

    /// <summary>
    /// The error for <c>--resume</c> on a folder whose <paramref name="checkpointDir"/> has no valid
    /// checkpoint: what to do instead.
    /// </summary>
    public static UserError NoValidCheckpoint(string checkpointDir)
        => new($"--resume: no valid checkpoint in {checkpointDir}; to start the run again, use --resume-if-possible instead of --resume " +
               $"(it keeps this attempt's files in {AttemptPrefix}TIME/ inside the run folder), or give the run another name (--set name=...)");

    /// <summary>
    /// This attempt trained for <paramref name="attemptSeconds"/>: the run's training time over all
    /// its attempts in this folder (<see cref="HpcLearn.Runs.TrainTime"/>), for summary.json. The
    /// attempt's seconds are recorded when the folder is released.
    /// </summary>
    public TrainTime TrainTime(double attemptSeconds)
    {
        _trainSeconds = attemptSeconds;
        var (earlier, attempts) = HpcLearn.Runs.TrainTime.Earlier(Root);
        return new TrainTime(earlier + attemptSeconds, attemptSeconds, attempts + 1);
    }

    /// <summary>
    /// Records this attempt's training time (<see cref="HpcLearn.Runs.TrainTime"/>; by the process that
    /// holds the lock) and releases the lock (the paths stay usable).
    /// </summary>
    public void Dispose()
    {
        if (_lock is not null && IsStarted(Root))
        {
            try
            {
                HpcLearn.Runs.TrainTime.Add(Root, _trainSeconds ?? _held.Elapsed.TotalSeconds);
            }
            catch (Exception e) when (e is UserError or IOException or UnauthorizedAccessException)
            {
                // A full disk at the end of an attempt: its time goes uncounted, and the error that
                // ended the attempt (if any) is the one to report, not this one.
            }
        }
        _lock?.Dispose();
        _lock = null;
    }

    private static bool IsBookkeeping(string name) => name.StartsWith(JobFilePrefix, StringComparison.Ordinal)
        || name is RunFolderLock.FileName or RunFolderLock.HolderFileName or RunAttempt.HistoryFile or RunAttempt.FailureFile
        || name.StartsWith(AttemptPrefix, StringComparison.Ordinal);

    private static UserError AlreadyExists(string path)
        => new($"run folder '{path}' already exists; add --resume to continue it, or choose another name (--set name=...) or --out DIR");

    private static RunFolder Locked(string path, TextWriter log) => Swept(new RunFolder(path, RunFolderLock.Acquire(path, log)), log);

    private static RunFolder Swept(RunFolder folder, TextWriter log)
    {
        try
        {
            RunFolderSweep.Run(folder.Root, log);
            return folder;
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    // Everything but the bookkeeping into attempt-failed-TIME/, in one rename each (same file system).
    private void MoveAttemptAside(TextWriter log)
    {
        string stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        string aside = Path.Combine(Root, AttemptPrefix + stamp);
        for (int i = 2; Directory.Exists(aside) || File.Exists(aside); i++) aside = Path.Combine(Root, $"{AttemptPrefix}{stamp}-{i}");
        WriteFailure.CreateDirectory(aside);
        foreach (var entry in Directory.EnumerateFileSystemEntries(Root).ToList())
        {
            string name = Path.GetFileName(entry);
            if (IsBookkeeping(name)) continue;
            string target = Path.Combine(aside, name);
            WriteFailure.Guard(entry, () =>
            {
                if (Directory.Exists(entry)) Directory.Move(entry, target);
                else File.Move(entry, target);
            });
        }
        log.WriteLine($"no valid checkpoint in {CheckpointDir}: starting the run again; the earlier attempt's files are kept in {aside}");
    }
}
