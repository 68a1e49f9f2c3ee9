using System.Reflection;
using System.Text.Json.Serialization;

namespace HpcLearn.Training;

/// <summary>How a model was made: enough to reproduce it or to trace it back to a job.</summary>
public sealed record Provenance
{
    /// <summary>HpcLearn version that trained it.</summary>
    [JsonPropertyName("hpclearn_version")] public string HpcLearnVersion { get; init; } = CurrentVersion;

    /// <summary>Git commit of the working tree the run was started from, if any.</summary>
    [JsonPropertyName("git_commit")] public string? GitCommit { get; init; }

    /// <summary>The run's seed.</summary>
    [JsonPropertyName("seed")] public int Seed { get; init; }

    /// <summary>The resolved config, as YAML.</summary>
    [JsonPropertyName("config")] public string Config { get; init; } = "";

    /// <summary>Slurm job id, when trained in a job.</summary>
    [JsonPropertyName("job_id")] public string? JobId { get; init; }

    /// <summary>When training finished (UTC).</summary>
    [JsonPropertyName("created_utc")] public DateTime CreatedUtc { get; init; } = DateTime.UtcNow;

    /// <summary>This assembly's informational version.</summary>
    public static string CurrentVersion { get; } =
        typeof(Provenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>The commit of the git work tree containing <paramref name="directory"/>, read from .git without running git.</summary>
    public static string? FindGitCommit(string directory)
    {
        for (var d = new DirectoryInfo(Path.GetFullPath(directory)); d is not null; d = d.Parent)
        {
            string git = Path.Combine(d.FullName, ".git");
            if (!Directory.Exists(git)) continue;
            try
            {
                string head = File.ReadAllText(Path.Combine(git, "HEAD")).Trim();
                if (!head.StartsWith("ref: ", StringComparison.Ordinal)) return head;
                string refName = head[5..];
                string loose = Path.Combine(git, refName);
                if (File.Exists(loose)) return File.ReadAllText(loose).Trim();
                string packed = Path.Combine(git, "packed-refs");
                return File.Exists(packed)
                    ? File.ReadLines(packed).Where(l => l.EndsWith(" " + refName, StringComparison.Ordinal)).Select(l => l.Split(' ')[0]).FirstOrDefault()
                    : null;
            }
            catch (IOException) { return null; }
        }
        return null;
    }
}
