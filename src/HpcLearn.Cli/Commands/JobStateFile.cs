using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using HpcLearn.Cluster.Slurm;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Cli.Commands;

/// <summary>
/// <c>job.state.json</c>: what <c>status</c> last learnt from Slurm about the job in <c>job.id</c>
/// (states, pending reason, restarts, exit code, each array task's state, accounting), kept in the
/// run or sweep folder so that the job line survives after Slurm forgets the job (MinJobAge).
/// </summary>
internal sealed record JobStateFile
{
    public const string FileName = "job.state.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    [JsonPropertyName("job_id")] public string JobId { get; init; } = "";
    [JsonPropertyName("states")] public List<string> States { get; init; } = [];
    [JsonPropertyName("reason")] public string? Reason { get; init; }
    [JsonPropertyName("restarts")] public int? Restarts { get; init; }
    [JsonPropertyName("exit_code")] public string? ExitCode { get; init; }
    [JsonPropertyName("end_time")] public string? EndTime { get; init; }
    [JsonPropertyName("in_queue")] public bool InQueue { get; init; }
    [JsonPropertyName("tasks")] public Dictionary<string, string> Tasks { get; init; } = new();
    [JsonPropertyName("accounting")] public string? Accounting { get; init; }
    [JsonPropertyName("checked_utc")] public DateTime CheckedUtc { get; init; }

    /// <summary>Whether this came from Slurm just now (else from the file).</summary>
    [JsonIgnore] public bool Live { get; init; }

    /// <summary>A time left, only from a live answer.</summary>
    [JsonIgnore] public string? TimeLeft { get; init; }

    /// <summary>The array tasks' states by index.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<int, string> TaskStates => Tasks
        .Where(t => int.TryParse(t.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        .ToDictionary(t => int.Parse(t.Key, CultureInfo.InvariantCulture), t => t.Value);

    /// <summary>The state of a plain job, or null for an array or several lines.</summary>
    [JsonIgnore] public string? SingleState => Tasks.Count == 0 && States.Count == 1 ? States[0] : null;

    /// <summary>
    /// What is known of job <paramref name="jobId"/> of <paramref name="folder"/>: Slurm's answer now
    /// (saved to the folder), else the answer saved earlier; null when neither knows it. Accounting
    /// (sacct) is asked for once the job has left the queue.
    /// </summary>
    public static JobStateFile? Look(string folder, string jobId, SlurmClient slurm, DateTime nowUtc)
    {
        var saved = Read(folder) is { } s && s.JobId == jobId ? s : null;
        var state = slurm.Query(jobId);
        if (state is null)
        {
            if (saved is null) return null;
            // sacct remembers what scontrol forgot; keep the last useful answer.
            string accounting = slurm.Accounting(jobId);
            if (IsAvailable(accounting) || !IsAvailable(saved.Accounting)) saved = saved with { Accounting = accounting };
            saved.Write(folder);
            return saved;
        }
        var now = new JobStateFile
        {
            JobId = jobId,
            States = [.. state.States],
            Reason = state.Reason,
            Restarts = state.Restarts,
            ExitCode = state.ExitCode,
            EndTime = state.EndTime,
            InQueue = state.InQueue,
            Tasks = state.Tasks.ToDictionary(t => t.Key.ToString(CultureInfo.InvariantCulture), t => t.Value),
            Accounting = state.InQueue ? null : slurm.Accounting(jobId),
            CheckedUtc = nowUtc,
        };
        now.Write(folder);
        return now with { Live = true, TimeLeft = state.TimeLeft };
    }

    /// <summary>The saved file in <paramref name="folder"/>, or null.</summary>
    public static JobStateFile? Read(string folder)
    {
        string path = Path.Combine(folder, FileName);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<JobStateFile>(File.ReadAllText(path)) : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsAvailable(string? accounting) => accounting is not null && !accounting.StartsWith("not available", StringComparison.Ordinal);

    // status only reads a run: a folder it may not write (another user's) still gets its answer.
    private void Write(string folder)
    {
        try
        {
            AtomicFile.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Json) + "\n");
        }
        catch (Exception e) when (e is UserError or IOException or UnauthorizedAccessException)
        {
        }
    }
}
