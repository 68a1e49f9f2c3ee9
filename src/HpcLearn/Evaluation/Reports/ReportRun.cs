using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Evaluation.Reports;

/// <summary>Everything the report reads from one run folder.</summary>
/// <param name="Dir">The run folder.</param>
/// <param name="Name">The run's name (the folder's name).</param>
/// <param name="Summary">summary.json.</param>
/// <param name="Metrics">The final metrics of summary.json, in file order (the first is the primary one).</param>
/// <param name="History">metrics.csv.</param>
/// <param name="ConfigYaml">config.yaml as written.</param>
/// <param name="Evaluation">evaluation.json, when present.</param>
/// <param name="Version">HpcLearn version that trained the model (model/model.json), when known.</param>
/// <param name="FinishedUtc">When training finished, when known.</param>
internal sealed record ReportRun(
    string Dir,
    string Name,
    RunSummary Summary,
    IReadOnlyList<KeyValuePair<string, double>> Metrics,
    EpochHistory History,
    string ConfigYaml,
    EvaluationReport? Evaluation,
    string? Version,
    DateTime? FinishedUtc)
{
    /// <summary>The primary metric (the first in summary.json), or null when there are none.</summary>
    public string? Primary => Metrics.Count > 0 ? Metrics[0].Key : null;
}
