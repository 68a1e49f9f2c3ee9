using System.Text.Json.Nodes;

namespace HpcLearn.Tasks.Clustering;

/// <summary>
/// What a clustering run (<see cref="ClusterRun"/>) hands back to <see cref="ClusterTask"/> once it
/// has written its own files (assignments.csv, centres.csv, k-selection.csv, plots/): the rest of the
/// run folder (summary.json, metrics.csv, model/) is the task's.
/// </summary>
/// <param name="OutDir">The run folder.</param>
/// <param name="Summary">The clustering's keys of summary.json (k, algorithm, metrics, cluster sizes, ...).</param>
/// <param name="Metrics">The model's metrics, for model.json (silhouette, Davies–Bouldin, and inertia or log-likelihood/BIC/AIC).</param>
/// <param name="Baseline">The trivial baselines' metrics: inertia of one cluster, silhouette of a random assignment.</param>
/// <param name="Model">The model for <c>hpclearn predict</c>.</param>
/// <param name="History">The kept fit's objective step by step, for metrics.csv.</param>
/// <param name="Stopped">Whether the stop token ended the fit early (the model is the one reached).</param>
/// <param name="FitSeconds">Seconds the fits took (every k of a range).</param>
internal sealed record ClusterRunResult(string OutDir, JsonObject Summary, Dictionary<string, double> Metrics, Dictionary<string, double> Baseline,
    ClusterModel Model, IReadOnlyList<ClusterStep> History, bool Stopped, double FitSeconds);
