using System.Globalization;
using System.Text.Json;
using HpcLearn.Evaluation.Reports;
using HpcLearn.Runs.Metrics;

namespace HpcLearn.Runs.Reports;

/// <summary>
/// Reads a run folder for the report. summary.json and metrics.csv are required; config.yaml,
/// evaluation.json, model/model.json and the task's own files add sections when present.
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
        string metricsPath = Require(runDir, MetricsLog.FileName, "it is written as the run trains; point at the run folder that 'hpclearn train' printed");
        string configPath = Path.Combine(runDir, "config.yaml");

        var summary = ReportJson.Read<RunSummary>(summaryPath, "the run wrote it when it finished; restore it from a copy of the run folder");
        var history = MetricsCsvReader.Read(metricsPath);
        string evalPath = Path.Combine(runDir, EvaluationFile);
        var evaluation = File.Exists(evalPath)
            ? ReportJson.Read<EvaluationReport>(evalPath, "delete it to build the report without it")
            : null;
        if (evaluation?.Confusion is { } c && (c.Counts.Length != c.Labels.Length || c.Counts.Any(row => row.Length != c.Labels.Length)))
            throw new UserError($"{evalPath}: confusion.counts must be {c.Labels.Length}×{c.Labels.Length}, one row and column per label; delete the file to build the report without it");
        var (version, finished) = Provenance(runDir);
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(runDir)));
        return new ReportRun(runDir, name, summary, ReportJson.Numbers(summary.MetricsJson), history,
            File.Exists(configPath) ? File.ReadAllText(configPath) : null, evaluation, version, finished ?? File.GetLastWriteTimeUtc(summaryPath))
        {
            Section = TaskSection.For(summary.Task),
            Inputs = RunInputs.TryRead(runDir),
        };
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
