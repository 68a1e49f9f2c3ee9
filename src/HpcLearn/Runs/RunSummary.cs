using System.Text.Json.Serialization;

namespace HpcLearn.Runs;

/// <summary>
/// <c>summary.json</c>: the final metrics under their snake_case names at the top level, the
/// baseline's under <c>baseline</c>, and timings. Scripts read it: keep it stable.
/// </summary>
public sealed record RunSummary
{
    /// <summary>The task.</summary>
    [JsonPropertyName("task")] public string Task { get; init; } = "";

    /// <summary>The run folder (empty for evaluate).</summary>
    [JsonPropertyName("run_dir")] public string RunDir { get; init; } = "";

    /// <summary>The metric runs are compared by (the first of the metrics), e.g. <c>accuracy</c> or <c>rmse</c>.</summary>
    [JsonPropertyName("primary_metric")] public string? PrimaryMetric { get; init; }

    /// <summary>Final validation metrics (accuracy, macro_f1, rmse, ...), at the top level of the JSON.</summary>
    [JsonExtensionData] public Dictionary<string, object> MetricsJson { get; init; } = new();

    /// <summary>The trivial baseline's metrics.</summary>
    [JsonPropertyName("baseline")] public Dictionary<string, double> Baseline { get; init; } = new();

    /// <summary>What the baseline is (e.g. "majority class 'no' (64.0% of training rows)").</summary>
    [JsonPropertyName("baseline_description")] public string BaselineDescription { get; init; } = "";

    /// <summary>Whether the model beats the baseline on the primary metric.</summary>
    [JsonPropertyName("beats_baseline")] public bool BeatsBaseline { get; init; }

    /// <summary>Epochs completed.</summary>
    [JsonPropertyName("epochs")] public int Epochs { get; init; }

    /// <summary>Why training stopped early, if it did.</summary>
    [JsonPropertyName("stop_reason")] public string? StopReason { get; init; }

    /// <summary>
    /// The run was stopped before its end (a deadline, a signal, a cancelled token): a checkpoint
    /// holds its position for <c>--resume</c>, and model/ holds the weights so far (usable, not final;
    /// no evaluation was run). In summary.json as <c>"interrupted": true</c>, absent when the run finished.
    /// </summary>
    [JsonPropertyName("interrupted")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Interrupted { get; init; }

    /// <summary>Seconds spent, by phase (load, train, evaluate, total).</summary>
    [JsonPropertyName("timings")] public Dictionary<string, double> Timings { get; init; } = new();

    /// <summary>Threads used by libtorch.</summary>
    [JsonPropertyName("threads")] public int Threads { get; init; }

    /// <summary>The metrics as numbers: the numeric entries (a cluster run's summary also holds names, lists and flags).</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, double> Metrics => MetricsJson
        .Where(p => p.Value is not System.Text.Json.JsonElement e || e.ValueKind == System.Text.Json.JsonValueKind.Number)
        .ToDictionary(p => p.Key, p => Convert.ToDouble(p.Value is System.Text.Json.JsonElement e ? e.GetDouble() : p.Value, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The summary as indented JSON (the summary.json layout).</summary>
    public string ToJson() => System.Text.Json.JsonSerializer.Serialize(this, Indented);

    private static readonly System.Text.Json.JsonSerializerOptions Indented = new(RunJson.Options) { WriteIndented = true };

    /// <summary>A summary whose metrics are <paramref name="metrics"/>.</summary>
    public static Dictionary<string, object> Wrap(IReadOnlyDictionary<string, double> metrics) => metrics.ToDictionary(p => p.Key, p => (object)p.Value);

    /// <summary>
    /// The summary of evaluating a model on labelled data (<c>hpclearn evaluate</c>): its metrics
    /// beside the trivial baseline's, and whether the first (primary) metric beats it.
    /// </summary>
    public static RunSummary Evaluated(string task, IReadOnlyDictionary<string, double> metrics, Evaluation.BaselineResult baseline)
        => new RunSummary { Task = task }.Scored(metrics, baseline) with { PrimaryMetric = null };

    /// <summary>
    /// This summary with <paramref name="metrics"/> (and <paramref name="extras"/>, figures for
    /// summary.json only) beside the trivial baseline's: the first metric is the primary one, and
    /// whether it beats the baseline.
    /// </summary>
    public RunSummary Scored(IReadOnlyDictionary<string, double> metrics, Evaluation.BaselineResult baseline, IEnumerable<KeyValuePair<string, double>>? extras = null)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(baseline);
        string primary = metrics.Keys.First();
        return this with
        {
            PrimaryMetric = primary,
            MetricsJson = Wrap(metrics.Concat(extras ?? []).ToDictionary()),
            Baseline = baseline.Metrics.ToDictionary(),
            BaselineDescription = baseline.Description,
            BeatsBaseline = Evaluation.MetricInfo.Beats(primary, metrics[primary], baseline.Metrics.GetValueOrDefault(primary, double.NaN)),
        };
    }
}
