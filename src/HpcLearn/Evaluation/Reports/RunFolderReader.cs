using System.Globalization;
using System.Text.Json;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Evaluation.Reports;

/// <summary>
/// Reads a run folder for the report. summary.json, metrics.csv and config.yaml are required;
/// evaluation.json and model/model.json add sections and provenance when present.
/// </summary>
internal static class RunFolderReader
{
    /// <summary>File name of the evaluation report in a run folder.</summary>
    public const string EvaluationFile = "evaluation.json";

    /// <summary>Reads <paramref name="runDir"/>; a missing or broken file is a <see cref="UserError"/> naming it.</summary>
    public static ReportRun Read(string runDir)
    {
        if (!Directory.Exists(runDir))
            throw new UserError($"run folder '{runDir}' does not exist; pass the folder that 'hpclearn train' printed (e.g. runs/NAME)");
        string summaryPath = Require(runDir, "summary.json", "it is written when training finishes; finish the run (hpclearn train CONFIG --resume) or point at a finished run folder");
        string metricsPath = Require(runDir, "metrics.csv", "it is written every epoch during training; point at a complete run folder or rerun the training");
        string configPath = Require(runDir, "config.yaml", "it is written when training starts; point at a complete run folder or rerun the training");

        var summary = ReportJson.Read<RunSummary>(summaryPath, "rerun the training to write it again");
        var history = MetricsCsvReader.Read(metricsPath);
        string evalPath = Path.Combine(runDir, EvaluationFile);
        var evaluation = File.Exists(evalPath)
            ? ReportJson.Read<EvaluationReport>(evalPath, "delete it to build the report without it, or rerun the training")
            : null;
        if (evaluation?.Confusion is { } c && (c.Counts.Length != c.Labels.Length || c.Counts.Any(row => row.Length != c.Labels.Length)))
            throw new UserError($"{evalPath}: confusion.counts must be {c.Labels.Length}×{c.Labels.Length}, one row and column per label; delete the file to build the report without it, or rerun the training");
        var (version, finished) = Provenance(runDir);
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(runDir)));
        return new ReportRun(runDir, name, summary, ReportJson.Numbers(summary.MetricsJson), history,
            File.ReadAllText(configPath), evaluation, version, finished ?? File.GetLastWriteTimeUtc(summaryPath));
    }

    private static string Require(string runDir, string file, string why)
    {
        string path = Path.Combine(runDir, file);
        return File.Exists(path)
            ? path
            : throw new UserError($"run folder '{runDir}' has no {file} (looked for {path}); {why}");
    }

    /// <summary>
    /// The version and finish time from model/model.json. Only the header uses them, so a model
    /// folder that is absent or unreadable leaves them unknown instead of failing the report.
    /// </summary>
    private static (string? Version, DateTime? Finished) Provenance(string runDir)
    {
        string path = Path.Combine(runDir, "model", ModelArtifact.ManifestFile);
        if (!File.Exists(path)) return (null, null);
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            if (!doc.RootElement.TryGetProperty("provenance", out var p) || p.ValueKind != JsonValueKind.Object) return (null, null);
            string? version = p.TryGetProperty("hpclearn_version", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            DateTime? finished = p.TryGetProperty("created_utc", out var c) && c.ValueKind == JsonValueKind.String
                && DateTime.TryParse(c.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
                ? t : null;
            return (version, finished);
        }
        catch (JsonException) { return (null, null); }
    }
}
