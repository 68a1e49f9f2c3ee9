using System.Text.Json;
using System.Text.Json.Nodes;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Cli.Commands;

/// <summary>
/// <c>evaluate --json</c>: summary.json's layout with no placeholders. What evaluating cannot know
/// is left out rather than printed empty: <c>run_dir</c> and <c>epochs</c> only when the model
/// folder sits in a run folder (its summary.json says the epochs); no timings, threads or stop reason.
/// </summary>
internal static class EvaluateJson
{
    public static string Of(RunSummary summary, string modelDir)
    {
        var json = JsonNode.Parse(summary.ToJson())!.AsObject();
        json["primary_metric"] = summary.PrimaryMetric ?? summary.Metrics.Keys.FirstOrDefault();
        foreach (var key in new[] { "run_dir", "epochs", "stop_reason", "timings", "threads" }) json.Remove(key);
        var run = Path.GetDirectoryName(Path.GetFullPath(modelDir).TrimEnd(Path.DirectorySeparatorChar));
        if (run is not null && File.Exists(Path.Combine(run, "config.yaml")))
        {
            json["run_dir"] = run;
            if (ReadEpochs(Path.Combine(run, "summary.json")) is { } epochs) json["epochs"] = epochs;
        }
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static int? ReadEpochs(string summaryFile)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(summaryFile))?["epochs"]?.GetValue<int>();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException or FormatException)
        {
            return null; // no summary (a run stopped early) or a damaged one: the key is left out
        }
    }
}
