using System.Text.Json.Serialization;

namespace HpcLearn.Evaluation.Reports;

/// <summary>
/// <c>evaluation.json</c> in a run folder: what the trust report shows besides the metrics —
/// the data card, confusion matrix, calibration before and after temperature scaling, and
/// per-group metrics. Each part is null when it does not apply (e.g. calibration for regression).
/// </summary>
public sealed record EvaluationReport
{
    /// <summary>The data as loaded and split.</summary>
    [JsonPropertyName("data_card")] public DataCard? DataCard { get; init; }

    /// <summary>Validation confusion matrix (classification).</summary>
    [JsonPropertyName("confusion")] public ConfusionReport? Confusion { get; init; }

    /// <summary>Validation precision and recall per class (classification).</summary>
    [JsonPropertyName("per_class")] public PerClassReport? PerClass { get; init; }

    /// <summary>Calibration of the validation predictions (classification).</summary>
    [JsonPropertyName("calibration")] public CalibrationReport? Calibration { get; init; }

    /// <summary>Metrics per group of <c>data.group</c>, when set.</summary>
    [JsonPropertyName("groups")] public GroupReport? Groups { get; init; }
}

/// <summary>Counts of (true class, predicted class).</summary>
/// <param name="Labels">Class names, in index order.</param>
/// <param name="Counts">Counts[true][predicted].</param>
public sealed record ConfusionReport(
    [property: JsonPropertyName("labels")] string[] Labels,
    [property: JsonPropertyName("counts")] int[][] Counts);
