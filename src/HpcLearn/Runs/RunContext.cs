namespace HpcLearn.Runs;

/// <summary>
/// What the world gives a run: where output goes, whether it is a terminal, where run folders
/// live, and whether to resume. Injected so tests and the C# API control all of it.
/// </summary>
public sealed record RunContext
{
    /// <summary>Where progress and summaries are printed.</summary>
    public TextWriter Out { get; init; } = Console.Out;

    /// <summary>Whether <see cref="Out"/> is a live terminal (bars) or a log (plain lines).</summary>
    public bool IsTerminal { get; init; }

    /// <summary>Folder that holds run folders. Default <c>runs</c>.</summary>
    public string RunsRoot { get; init; } = "runs";

    /// <summary>Continue the run folder's newest valid checkpoint instead of starting afresh.</summary>
    public bool Resume { get; init; }

    /// <summary>
    /// When the run folder was started by an earlier attempt (and this run does not resume), move
    /// that attempt's files into <c>attempt-failed-TIME/</c> inside the folder and start there,
    /// instead of refusing: what <c>--resume-if-possible</c> does when no checkpoint is valid.
    /// </summary>
    public bool RestartFailedAttempt { get; init; }

    /// <summary>Pick a fresh folder name (name-2, name-3, ...) when the run folder exists.</summary>
    public bool FreshFolder { get; init; }

    /// <summary>Write TensorBoard event files.</summary>
    public bool TensorBoard { get; init; } = true;

    /// <summary>
    /// The ranks of a data-parallel run (MPI), or a single process. Rank 0 alone writes the run
    /// folder; the others train their shard and stay quiet.
    /// </summary>
    public Cluster.ICommunicator Communicator { get; init; } = new Cluster.SingleCommunicator();

    /// <summary>Whether this process writes logs, checkpoints and artifacts.</summary>
    public bool IsRankZero => Communicator.Rank == 0;

    /// <summary>
    /// The run's stop token: stop signals, the job's end time and the wall-time budget
    /// (<c>train.max_time</c>). Every training loop polls it and stops cleanly with a checkpoint; what
    /// runs before the loop (loading a large data file) looks at its <see cref="RunStop.Token"/> and
    /// ends with <see cref="OperationCanceledException"/>, before anything is written. The CLI builds it
    /// from its signal listener and the Slurm job; the C# API passes <c>new RunStop(cancellationToken)</c>.
    /// Default: stops only for the config's budget.
    /// </summary>
    public RunStop Stop { get; init; } = new();

    /// <summary>Process environment (for provenance: Slurm job id), injectable for tests.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = Cluster.EnvironmentSnapshot.Current();
}
