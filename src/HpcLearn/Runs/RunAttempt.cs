using System.Text.Json;
using System.Text.Json.Serialization;

namespace HpcLearn.Runs;

/// <summary>
/// How one attempt of <c>hpclearn train</c> on a run folder ended. The run folder keeps the history,
/// one JSON object a line, in <c>attempts.jsonl</c>, and the latest failed attempt in
/// <c>failure.json</c> until a later attempt starts (a later success or resume supersedes it).
/// Neither file makes a folder count as a started run (<see cref="RunFolder.IsStarted"/>). Written
/// by rank 0 only; a stop for the deadline or a signal (exit code 3) is not a failure.
/// </summary>
public sealed record RunAttempt
{
    /// <summary>The history of attempts, one line each.</summary>
    public const string HistoryFile = "attempts.jsonl";

    /// <summary>The latest failed attempt, while no later attempt has started.</summary>
    public const string FailureFile = "failure.json";

    /// <summary><see cref="Outcome"/> of an attempt that wrote its model and summary.</summary>
    public const string Finished = "finished";
    /// <summary><see cref="Outcome"/> of an attempt stopped for the deadline or a signal, with a checkpoint (exit code 3).</summary>
    public const string Stopped = "stopped";
    /// <summary><see cref="Outcome"/> of an attempt that ended in an error (exit code 1 or 2).</summary>
    public const string Failed = "failed";

    private static readonly JsonSerializerOptions Line = new(RunJson.Options) { WriteIndented = false };
    private static readonly JsonSerializerOptions Indented = new(RunJson.Options) { WriteIndented = true };

    /// <summary>1 for the first attempt on the folder, then counting up (the history's count).</summary>
    [JsonPropertyName("attempt")] public int Attempt { get; init; }

    /// <summary><see cref="Finished"/>, <see cref="Stopped"/> or <see cref="Failed"/>.</summary>
    [JsonPropertyName("outcome")] public string Outcome { get; init; } = "";

    /// <summary>The exit code of <c>hpclearn train</c> (0, 1 for a bug, 2 for a user error or divergence, 3 for a stop).</summary>
    [JsonPropertyName("exit_code")] public int ExitCode { get; init; }

    /// <summary>Why it failed or stopped, one line (the error message); null when it finished.</summary>
    [JsonPropertyName("reason")] public string? Reason { get; init; }

    /// <summary>When the attempt started (UTC).</summary>
    [JsonPropertyName("started_utc")] public DateTime StartedUtc { get; init; }

    /// <summary>When it ended (UTC).</summary>
    [JsonPropertyName("ended_utc")] public DateTime EndedUtc { get; init; }

    /// <summary>The host rank 0 ran on.</summary>
    [JsonPropertyName("host")] public string Host { get; init; } = "";

    /// <summary>The Slurm job (<c>41</c>, or <c>41_3</c> for task 3 of array 41), or null outside Slurm.</summary>
    [JsonPropertyName("job_id")] public string? JobId { get; init; }

    /// <summary><c>SLURM_RESTART_COUNT</c> (how often Slurm requeued the job before this attempt), or null outside Slurm.</summary>
    [JsonPropertyName("slurm_restart_count")] public int? SlurmRestartCount { get; init; }

    /// <summary>The attempts recorded in <paramref name="folder"/>, oldest first (unreadable lines skipped).</summary>
    public static IReadOnlyList<RunAttempt> History(string folder)
    {
        string path = Path.Combine(folder, HistoryFile);
        if (!File.Exists(path)) return [];
        var attempts = new List<RunAttempt>();
        foreach (var line in ReadLines(path))
        {
            try
            {
                if (JsonSerializer.Deserialize<RunAttempt>(line, RunJson.Options) is { } a) attempts.Add(a);
            }
            catch (JsonException)
            {
                // A line cut by a crash: the others still count.
            }
        }
        return attempts;
    }

    /// <summary>The number the next attempt on <paramref name="folder"/> gets.</summary>
    public static int NextNumber(string folder) => History(folder).Select(a => a.Attempt).DefaultIfEmpty(0).Max() + 1;

    /// <summary><c>failure.json</c> in <paramref name="folder"/>, or null when there is none (or it is unreadable).</summary>
    public static RunAttempt? ReadFailure(string folder)
    {
        string path = Path.Combine(folder, FailureFile);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<RunAttempt>(File.ReadAllText(path), RunJson.Options) : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A new attempt starts on <paramref name="folder"/>: the last failure is history now (it stays in <c>attempts.jsonl</c>).</summary>
    public static void ClearFailure(string folder)
    {
        string path = Path.Combine(folder, FailureFile);
        if (File.Exists(path)) WriteFailure.Guard(path, () => File.Delete(path));
    }

    /// <summary>
    /// Appends this attempt to <c>attempts.jsonl</c> in <paramref name="folder"/>, and writes it to
    /// <c>failure.json</c> when it failed (else removes that file).
    /// </summary>
    public void Record(string folder)
    {
        string history = Path.Combine(folder, HistoryFile);
        WriteFailure.Guard(history, () => File.AppendAllText(history, JsonSerializer.Serialize(this, Line) + "\n"));
        if (Outcome == Failed) AtomicFile.WriteAllText(Path.Combine(folder, FailureFile), JsonSerializer.Serialize(this, Indented) + "\n");
        else ClearFailure(folder);
    }

    private static IEnumerable<string> ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path).Where(l => l.Trim().Length > 0).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
