using System.Text.Json;
using System.Text.Json.Serialization;

namespace HpcLearn.Runs;

/// <summary>
/// How the run folder's JSON files (summary.json, attempts.jsonl, checkpoint metadata, model.json)
/// are written: readable by people and scripts, not escaped for HTML.
/// </summary>
public static class RunJson
{
    /// <summary>The serializer options every run-folder file uses.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        // Files for people and scripts, not HTML: keep quotes and non-ASCII labels readable.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}
