using System.Text.Json.Serialization;

namespace HpcLearn.Evaluation.Reports;

/// <summary>One group's size and metrics.</summary>
/// <param name="Name">Group value ("missing" for rows without one).</param>
/// <param name="Size">Validation rows in the group.</param>
/// <param name="Small">True when the group is too small for its metrics to mean much.</param>
/// <param name="Metrics">The task's metrics on the group's rows.</param>
/// <param name="PositiveRate">Share of rows predicted positive (binary classification), else null.</param>
/// <param name="TruePositiveRate">Recall of the positive class in the group (binary), else null.</param>
/// <param name="FalsePositiveRate">False-positive rate in the group (binary), else null.</param>
public sealed record GroupRow(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("size")] int Size,
    [property: JsonPropertyName("small")] bool Small,
    [property: JsonPropertyName("metrics")] Dictionary<string, double> Metrics,
    [property: JsonPropertyName("positive_rate")] double? PositiveRate,
    [property: JsonPropertyName("true_positive_rate")] double? TruePositiveRate,
    [property: JsonPropertyName("false_positive_rate")] double? FalsePositiveRate);

/// <summary>Per-group metrics and the gaps between groups.</summary>
/// <param name="Column">The group column.</param>
/// <param name="Rows">One row per group, largest first.</param>
/// <param name="LargestGap">Per metric: max minus min over the groups that are not small.</param>
/// <param name="DemographicParityDifference">Binary tasks: max − min positive-prediction rate over groups.</param>
/// <param name="EqualizedOddsDifference">Binary tasks: the larger of the TPR gap and the FPR gap over groups.</param>
/// <param name="PositiveClass">The class counted as positive for the binary measures.</param>
/// <param name="SmallGroupThreshold">Groups with fewer rows are flagged small.</param>
public sealed record GroupReport(
    [property: JsonPropertyName("column")] string Column,
    [property: JsonPropertyName("rows")] GroupRow[] Rows,
    [property: JsonPropertyName("largest_gap")] Dictionary<string, double> LargestGap,
    [property: JsonPropertyName("demographic_parity_difference")] double? DemographicParityDifference,
    [property: JsonPropertyName("equalized_odds_difference")] double? EqualizedOddsDifference,
    [property: JsonPropertyName("positive_class")] string? PositiveClass,
    [property: JsonPropertyName("small_group_threshold")] int SmallGroupThreshold);
