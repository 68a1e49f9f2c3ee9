using System.Text.Json;
using HpcLearn.Runs.Metrics;

namespace HpcLearn.Runs;

/// <summary>
/// What a run folder says about its run, read without loading any model: the newest valid
/// checkpoint, the last line of metrics.csv, summary.json when it finished, failure.json when its
/// latest attempt failed, the history of attempts, and the job that runs it (<c>job.id</c> from
/// <c>submit</c>, <c>job.pid</c> from <c>submit --local</c>).
/// </summary>
/// <param name="Folder">The run folder.</param>
/// <param name="Checkpoint">The newest valid checkpoint when it is a Learner's (epoch-counted), or null.</param>
/// <param name="SkippedCheckpoints">Newer checkpoint files that are not valid, with why.</param>
/// <param name="LastMetrics">The last row of metrics.csv by column, or null.</param>
/// <param name="Summary">summary.json, or null while the run has not finished.</param>
/// <param name="JobId">The Slurm job id from job.id, or null.</param>
/// <param name="LocalPid">The process id from job.pid, or null.</param>
public sealed record RunStatus(
    string Folder,
    CheckpointPosition? Checkpoint,
    IReadOnlyList<string> SkippedCheckpoints,
    IReadOnlyDictionary<string, string>? LastMetrics,
    RunSummary? Summary,
    string? JobId,
    int? LocalPid)
{
    /// <summary>The file holding the Slurm job id of a submitted run.</summary>
    public const string JobIdFile = "job.id";

    /// <summary>The file holding the process id of a run started with <c>submit --local</c>.</summary>
    public const string PidFile = "job.pid";

    /// <summary>The job log (<c>#SBATCH --output</c> of <c>submit</c> and <c>sweep</c>).</summary>
    public const string LogFile = "job.log";

    /// <summary>failure.json: the latest attempt failed (and none has started since), or null.</summary>
    public RunAttempt? Failure { get; init; }

    /// <summary>The attempts so far (attempts.jsonl), oldest first.</summary>
    public IReadOnlyList<RunAttempt> Attempts { get; init; } = [];

    /// <summary>
    /// The newest intact checkpoint when it is not a Learner's (<c>step-*</c>, <c>iter-*</c>:
    /// counted in steps or iterations), or null.
    /// </summary>
    public string? OtherCheckpoint { get; init; }

    /// <summary>inputs.json: the fingerprint of the run's inputs and its settings, or null (an older run, or none written yet).</summary>
    public RunInputs? Inputs { get; init; }

    /// <summary>Who holds the run folder's lock (a train running on it now), or null.</summary>
    public string? InUse { get; init; }

    /// <summary>Reads <paramref name="folder"/>.</summary>
    public static RunStatus Read(string folder)
    {
        CheckpointPosition? checkpoint = null;
        string? other = null;
        var skipped = new List<string>();
        string checkpoints = Path.Combine(folder, "checkpoints");
        var files = Directory.Exists(checkpoints) ? CheckpointFolder.NewestFirst(Directory.GetFiles(checkpoints, "*.ckpt")) : [];
        foreach (var path in files)
        {
            string? why;
            CheckpointBlocks? blocks;
            try { CheckpointContainer.TryRead(path, magic: null, out blocks, out why); }
            catch (UserError) { (blocks, why) = (null, "of a newer checkpoint format than this HpcLearn reads"); }
            if (blocks is null)
            {
                skipped.Add($"{Path.GetFileName(path)} is {why}");
                continue;
            }
            checkpoint = CheckpointPosition.From(path, blocks);
            other = checkpoint is null ? path : null;
            break;
        }
        return new RunStatus(folder, checkpoint, skipped, MetricsCsvReader.LastRow(Path.Combine(folder, MetricsLog.FileName)),
            ReadSummary(Path.Combine(folder, "summary.json")), ReadText(Path.Combine(folder, JobIdFile)),
            int.TryParse(ReadText(Path.Combine(folder, PidFile)), out int pid) ? pid : null)
        {
            Failure = RunAttempt.ReadFailure(folder),
            Attempts = RunAttempt.History(folder),
            OtherCheckpoint = other,
            Inputs = RunInputs.TryRead(folder),
            InUse = Directory.Exists(folder) ? RunFolderLock.InUse(folder) : null,
        };
    }

    /// <summary>
    /// summary.json at <paramref name="path"/> of a finished run, or null when it is missing, unreadable
    /// or says the run was interrupted (a stopped run writes one beside its model of the weights so far,
    /// but has not finished).
    /// </summary>
    public static RunSummary? ReadSummary(string path)
    {
        try
        {
            return File.Exists(path) && JsonSerializer.Deserialize<RunSummary>(File.ReadAllText(path), RunJson.Options) is { Interrupted: false } s ? s : null;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null;
        }
    }

    private static string? ReadText(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : null;
}
