using System.Text.Json.Serialization;

namespace HpcLearn.Evaluation.Reports;

/// <summary>One column as loaded.</summary>
/// <param name="Name">Column name.</param>
/// <param name="Kind">"numeric" or "categorical".</param>
/// <param name="Missing">Missing values.</param>
/// <param name="Distinct">Distinct non-missing values.</param>
/// <param name="Min">Smallest value (numeric), else null.</param>
/// <param name="Max">Largest value (numeric), else null.</param>
/// <param name="Mean">Mean (numeric), else null.</param>
/// <param name="Role">"target", "feature", "group", or "ignored".</param>
public sealed record ColumnCard(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("missing")] int Missing,
    [property: JsonPropertyName("distinct")] int Distinct,
    [property: JsonPropertyName("min")] double? Min,
    [property: JsonPropertyName("max")] double? Max,
    [property: JsonPropertyName("mean")] double? Mean,
    [property: JsonPropertyName("role")] string Role);

/// <summary>What the data looked like on load: shown in the log, the report and evaluation.json.</summary>
/// <param name="Source">File or built-in data set.</param>
/// <param name="Rows">Rows loaded (before dropping rows without a target).</param>
/// <param name="TrainRows">Rows in the training split.</param>
/// <param name="ValidRows">Rows in the validation split.</param>
/// <param name="Columns">Every column.</param>
/// <param name="ClassBalance">Classification: class → rows in the whole data; else null.</param>
/// <param name="DuplicatesAcrossSplits">Validation rows whose features equal a training row's (leakage).</param>
/// <param name="Warnings">Plain sentences about problems found (leakage, constant columns, heavy missingness, imbalance).</param>
public sealed record DataCard(
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("rows")] int Rows,
    [property: JsonPropertyName("train_rows")] int TrainRows,
    [property: JsonPropertyName("valid_rows")] int ValidRows,
    [property: JsonPropertyName("columns")] ColumnCard[] Columns,
    [property: JsonPropertyName("class_balance")] Dictionary<string, int>? ClassBalance,
    [property: JsonPropertyName("duplicates_across_splits")] int DuplicatesAcrossSplits,
    [property: JsonPropertyName("warnings")] string[] Warnings);
