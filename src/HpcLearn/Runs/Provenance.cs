using System.Reflection;
using System.Text.Json.Serialization;

namespace HpcLearn.Runs;

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

    /// <summary>The build that trained it: version and the commit hpclearn was built from (<c>0.1.0+78caa7a…</c>).</summary>
    [JsonPropertyName("build")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Build { get; init; }

    /// <summary>libtorch threads per rank during training (absent in models written before it was recorded).</summary>
    [JsonPropertyName("threads")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Threads { get; init; }

    /// <summary>Data-parallel ranks during training.</summary>
    [JsonPropertyName("ranks")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Ranks { get; init; }

    /// <summary>The inputs' fingerprint (<see cref="RunInputs.Digest"/>; the run folder's inputs.json has each file's).</summary>
    [JsonPropertyName("inputs_digest")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? InputsDigest { get; init; }

    /// <summary>
    /// What the convolution check found in the training process (<see cref="ConvolutionCheck.State"/>,
    /// e.g. "oneDNN held to AVX2: every checked shape right (3)"); absent for networks without convolutions.
    /// </summary>
    [JsonPropertyName("convolutions")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Convolutions { get; init; }

    /// <summary>When training finished (UTC).</summary>
    [JsonPropertyName("created_utc")] public DateTime CreatedUtc { get; init; } = DateTime.UtcNow;

    /// <summary>
    /// The <c>threads</c> that <see cref="Config"/> sets, or null (not set, <c>null</c>, not a
    /// positive integer, or no readable config): commands that use the model run with the thread
    /// count it was trained with unless told otherwise.
    /// </summary>
    public int? ConfigThreads()
    {
        try
        {
            var yaml = new YamlDotNet.RepresentationModel.YamlStream();
            yaml.Load(new StringReader(Config));
            if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlDotNet.RepresentationModel.YamlMappingNode map) return null;
            foreach (var (key, value) in map.Children)
                if (key is YamlDotNet.RepresentationModel.YamlScalarNode { Value: "threads" })
                    return value is YamlDotNet.RepresentationModel.YamlScalarNode { Value: { } v }
                           && int.TryParse(v, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n >= 1
                        ? n : null;
        }
        catch (YamlDotNet.Core.YamlException) { }
        return null;
    }

    /// <summary>
    /// The provenance of a run started here: <paramref name="seed"/>, the resolved config
    /// <paramref name="yaml"/>, the git commit of the working directory and the Slurm job id in
    /// <paramref name="environment"/>.
    /// </summary>
    public static Provenance Of(int seed, string yaml, IReadOnlyDictionary<string, string> environment) => new()
    {
        Seed = seed, Config = yaml, GitCommit = FindGitCommit(Environment.CurrentDirectory),
        JobId = environment.GetValueOrDefault("SLURM_JOB_ID"),
        Convolutions = ConvolutionCheck.AnyChecked ? ConvolutionCheck.State : null,
    };

    /// <summary>This assembly's informational version.</summary>
    public static string CurrentVersion { get; } =
        typeof(Provenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>This assembly's full informational version: the version and the commit it was built from, when the build knew it.</summary>
    public static string CurrentBuild { get; } =
        typeof(Provenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>This provenance with what <paramref name="inputs"/> recorded (build, threads, ranks, inputs digest); unchanged for null.</summary>
    public Provenance With(RunInputs? inputs) => inputs is null ? this : this with
    {
        Build = inputs.Build, Threads = inputs.Threads, Ranks = inputs.Ranks, InputsDigest = inputs.Digest,
    };

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
