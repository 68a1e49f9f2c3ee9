using HpcLearn.Evaluation.Reports;
using HpcLearn.Runs.Metrics;

namespace HpcLearn.Runs.Reports;

/// <summary>Everything the report reads from one run folder.</summary>
/// <param name="Dir">The run folder.</param>
/// <param name="Name">The run's name (the folder's name).</param>
/// <param name="Summary">summary.json.</param>
/// <param name="Metrics">The final metrics of summary.json, in file order (the first is the primary one).</param>
/// <param name="History">metrics.csv.</param>
/// <param name="ConfigYaml">config.yaml as written, or null when the folder has none.</param>
/// <param name="Evaluation">evaluation.json, when present.</param>
/// <param name="Version">HpcLearn version that trained the model (model/model.json), when known.</param>
/// <param name="FinishedUtc">When training finished, when known.</param>
internal sealed record ReportRun(
    string Dir,
    string Name,
    RunSummary Summary,
    IReadOnlyList<KeyValuePair<string, double>> Metrics,
    MetricsHistory History,
    string? ConfigYaml,
    EvaluationReport? Evaluation,
    string? Version,
    DateTime? FinishedUtc)
{
    /// <summary>The primary metric: summary.json's primary_metric when it names one of the metrics, else the first; null when there are none.</summary>
    public string? Primary => Summary.PrimaryMetric is { } p && Metrics.Any(m => m.Key == p) ? p : Metrics.Count > 0 ? Metrics[0].Key : null;

    /// <summary>The section of the run's task, or null for a task without one (the Learner's classifiers and recommenders).</summary>
    public TaskSection? Section { get; init; }

    /// <summary>inputs.json (the inputs' fingerprint), when the folder has one.</summary>
    public RunInputs? Inputs { get; init; }

    /// <summary>A path inside the run folder.</summary>
    public string PathOf(params string[] parts) => Path.Combine([Dir, .. parts]);
}
