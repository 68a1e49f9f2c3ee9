namespace HpcLearn.Training;

/// <summary>
/// <c>runs/&lt;name&gt;/</c>: config.yaml, metrics.csv, tensorboard/, checkpoints/, model/,
/// summary.json. A new run never writes into an existing folder's files: it refuses (train)
/// or takes the next free name (quickstart); only <c>--resume</c> continues an existing one.
/// The job files of <c>hpclearn submit</c> (<c>job.*</c>) do not count as a started run.
/// </summary>
public sealed class RunFolder
{
    private RunFolder(string path) => Root = path;

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

    /// <summary>Opens the run folder for <paramref name="name"/> under <paramref name="root"/>.</summary>
    public static RunFolder Open(string root, string name, bool resume, bool fresh)
    {
        if (name.IndexOfAny(['/', '\\']) >= 0 || name is "." or "..")
            throw new UserError($"run name '{name}' must be a plain folder name (no '/'); set name: in the config");
        string path = Path.Combine(root, name);
        if (resume)
        {
            if (!Directory.Exists(path))
                throw new UserError($"--resume: run folder '{path}' does not exist; start the run without --resume first");
            return new RunFolder(path);
        }
        if (IsUsed(path))
        {
            if (!fresh)
                throw new UserError($"run folder '{path}' already exists; add --resume to continue it, or choose another name (--set name=...) or --out DIR");
            for (int i = 2; IsUsed(path = Path.Combine(root, $"{name}-{i}")); i++) { }
        }
        Directory.CreateDirectory(path);
        return new RunFolder(path);
    }

    /// <summary>
    /// Whether a run has started in <paramref name="path"/>: it holds anything besides the job files
    /// that <c>hpclearn submit</c> writes before the job runs (<c>job.sbatch</c>, <c>job.yaml</c>,
    /// <c>job.log</c>, <c>job.id</c>, <c>job.pid</c>: names starting with <c>job.</c>).
    /// </summary>
    public static bool IsStarted(string path) => Directory.Exists(path)
        && Directory.EnumerateFileSystemEntries(path).Any(e => !Path.GetFileName(e).StartsWith(JobFilePrefix, StringComparison.Ordinal));

    /// <summary>The prefix of the job files a submitted run folder holds before its run starts.</summary>
    public const string JobFilePrefix = "job.";

    /// <summary>
    /// The folder another process (rank 0 of a data-parallel run) opens: same path, nothing
    /// created or checked here.
    /// </summary>
    public static RunFolder At(string root, string name) => new(Path.Combine(root, name));

    private static bool IsUsed(string path) => IsStarted(path);
}
