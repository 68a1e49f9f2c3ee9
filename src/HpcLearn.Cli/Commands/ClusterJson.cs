using System.Text.Json;
using System.Text.Json.Nodes;

namespace HpcLearn.Cli.Commands;

/// <summary>
/// <c>cluster --json</c>: k, algorithm, the metrics, the cluster sizes and the output paths, from the
/// summary.json the run just wrote. No placeholders: a metric the algorithm does not have (inertia for
/// a mixture, BIC for k-means, ARI without --labels) is left out, and so is k-selection.csv for one k.
/// </summary>
internal static class ClusterJson
{
    private static readonly string[] MetricKeys =
        ["silhouette", "davies_bouldin", "calinski_harabasz", "inertia", "log_likelihood", "bic", "aic", "ari", "nmi"];

    public static string Of(string outDir)
    {
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!.AsObject();
        var metrics = new JsonObject();
        foreach (var key in MetricKeys)
            if (summary[key] is JsonValue v) metrics[key] = v.DeepClone();
        var folder = Path.GetFullPath(outDir);
        var outputs = new JsonObject
        {
            ["folder"] = folder,
            ["assignments"] = Path.Combine(folder, "assignments.csv"),
            ["centres"] = Path.Combine(folder, "centres.csv"),
            ["summary"] = Path.Combine(folder, "summary.json"),
            ["model"] = Path.Combine(folder, "model"),
            ["plots"] = Path.Combine(folder, "plots"),
        };
        if (File.Exists(Path.Combine(folder, "k-selection.csv"))) outputs["k_selection"] = Path.Combine(folder, "k-selection.csv");
        var json = new JsonObject
        {
            ["k"] = summary["k"]?.DeepClone(),
            ["algorithm"] = summary["algorithm"]?.DeepClone(),
            ["rows"] = summary["rows"]?.DeepClone(),
            ["metrics"] = metrics,
            ["cluster_sizes"] = summary["cluster_sizes"]?.DeepClone(),
            ["outputs"] = outputs,
        };
        foreach (var key in json.Where(p => p.Value is null).Select(p => p.Key).ToList()) json.Remove(key);
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
