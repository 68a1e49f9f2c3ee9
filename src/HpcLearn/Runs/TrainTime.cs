using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HpcLearn.Runs;

/// <summary>
/// A run's training time over all its attempts in one run folder. Each attempt that held the folder
/// (rank 0) adds its seconds to <c>train_time.json</c> when it ends, however it ends (finished,
/// stopped for the deadline, failed): the training time it reported when it finished, else the
/// time it held the folder. An attempt killed outright (SIGKILL, a lost node) adds nothing. A run
/// started again without a checkpoint (<c>attempt-failed-*</c>) starts from zero.
/// </summary>
/// <param name="TotalSeconds">This attempt's training seconds plus every earlier attempt's.</param>
/// <param name="LastAttemptSeconds">This attempt's training seconds.</param>
/// <param name="Attempts">Attempts counted, this one included.</param>
public sealed record TrainTime(double TotalSeconds, double LastAttemptSeconds, int Attempts)
{
    /// <summary>The file in the run folder.</summary>
    public const string FileName = "train_time.json";

    /// <summary>
    /// The summary.json timings: <c>train_seconds</c> (all attempts) and <c>train_seconds_last_attempt</c>,
    /// added to <paramref name="timings"/> (which is returned).
    /// </summary>
    public Dictionary<string, double> AddTo(Dictionary<string, double> timings)
    {
        timings["train_seconds"] = Math.Round(TotalSeconds, 3);
        timings["train_seconds_last_attempt"] = Math.Round(LastAttemptSeconds, 3);
        return timings;
    }

    /// <summary>The seconds and the count of the attempts recorded in <paramref name="folder"/>.</summary>
    internal static (double Seconds, int Attempts) Earlier(string folder)
    {
        string path = Path.Combine(folder, FileName);
        try
        {
            if (!File.Exists(path)) return (0, 0);
            var saved = JsonSerializer.Deserialize<Saved>(File.ReadAllText(path));
            return saved is null ? (0, 0) : (saved.Seconds, saved.Attempts);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return (0, 0);
        }
    }

    /// <summary>Adds an attempt of <paramref name="seconds"/> to <paramref name="folder"/>'s record (its lock held).</summary>
    internal static void Add(string folder, double seconds)
    {
        var (earlier, attempts) = Earlier(folder);
        var saved = new Saved { Seconds = Math.Round(earlier + seconds, 3), Attempts = attempts + 1 };
        AtomicFile.WriteAllText(Path.Combine(folder, FileName),
            JsonSerializer.Serialize(saved, new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>Seconds as summary.json and the logs print them.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{TotalSeconds:F1} s over {Attempts} attempt{(Attempts == 1 ? "" : "s")} (last {LastAttemptSeconds:F1} s)");

    private sealed record Saved
    {
        [JsonPropertyName("train_seconds")] public double Seconds { get; init; }
        [JsonPropertyName("attempts")] public int Attempts { get; init; }
    }
}
