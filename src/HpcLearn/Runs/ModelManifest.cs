using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace HpcLearn.Runs;

/// <summary>
/// <c>model.json</c>: everything <c>predict</c> needs besides the weights, as plain data.
/// Loading it runs no code. Task-specific parts (architecture, schema, preprocessing) live in
/// <see cref="Details"/>, which the task reads back into its own types.
/// </summary>
public sealed record ModelManifest
{
    /// <summary>Always <c>hpclearn-model</c>: tells a model folder from anything else.</summary>
    [JsonPropertyName("format")] public string Format { get; init; } = FormatName;

    /// <summary>Layout version of this file; a reader refuses versions newer than <see cref="CurrentFormatVersion"/>.</summary>
    [JsonPropertyName("format_version")] public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>The task that made the model (e.g. <c>tabular</c>).</summary>
    [JsonPropertyName("task")] public string Task { get; init; } = "";

    /// <summary>Validation metrics of the final model.</summary>
    [JsonPropertyName("metrics")] public Dictionary<string, double> Metrics { get; init; } = new();

    /// <summary>The trivial baseline's metrics on the same split.</summary>
    [JsonPropertyName("baseline")] public Dictionary<string, double> Baseline { get; init; } = new();

    /// <summary>Where the model came from.</summary>
    [JsonPropertyName("provenance")] public Provenance Provenance { get; init; } = new();

    /// <summary>Task-specific: architecture options, input schema, labels, preprocessing statistics.</summary>
    [JsonPropertyName("details")] public JsonObject Details { get; init; } = new();

    /// <summary>The newest <see cref="FormatVersion"/> this hpclearn writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>The value of <see cref="Format"/>.</summary>
    public const string FormatName = "hpclearn-model";
}
