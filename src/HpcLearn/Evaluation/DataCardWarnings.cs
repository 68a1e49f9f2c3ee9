using System.Globalization;
using HpcLearn.Evaluation.Reports;

namespace HpcLearn.Evaluation;

/// <summary>
/// The plain sentences a <see cref="DataCard"/> warns with. Ignored columns are never warned
/// about (the model does not read them), and the target's missing values get their own sentence
/// rather than the generic one.
/// </summary>
internal static class DataCardWarnings
{
    /// <summary>Columns missing in more than this share of rows are warned about.</summary>
    public const double MissingShare = 0.5;

    /// <summary>Classes under this share of the labelled rows are warned about.</summary>
    public const double RareClassShare = 0.05;

    public static string[] Find(int rows, ColumnCard[] columns, Dictionary<string, int>? balance, int duplicates)
    {
        var warnings = new List<string>();
        if (duplicates > 0)
            warnings.Add(duplicates == 1
                ? "1 validation row is an exact copy of a training row (target and ignored columns aside): metrics may be optimistic"
                : $"{duplicates} validation rows are exact copies of training rows (target and ignored columns aside): metrics may be optimistic");

        ColumnCard target = columns.Single(c => c.Role == "target");
        if (target.Missing > 0)
            warnings.Add(
                $"the target column '{target.Name}' has {target.Missing} missing value{(target.Missing == 1 ? "" : "s")}: " +
                "those rows are left out of training and validation");

        if (balance is not null)
        {
            int labelled = balance.Values.Sum();
            foreach (var (name, count) in balance.Where(kv => kv.Value < RareClassShare * labelled))
                warnings.Add(
                    $"class '{name}' is only {Percent(count, labelled)} of the rows ({count} of {labelled}): " +
                    "its metrics will be noisy and the model may learn to ignore it");
        }

        foreach (ColumnCard column in columns.Where(c => c.Role != "ignored"))
        {
            if (column.Distinct == 1 && column.Missing == 0)
                warnings.Add($"column '{column.Name}' has the same value in every row: it carries no information");
            if (column.Role != "target" && column.Missing > MissingShare * rows)
                warnings.Add($"column '{column.Name}' is {Percent(column.Missing, rows)} missing ({column.Missing} of {rows} rows)");
        }
        return warnings.ToArray();
    }

    public static string Percent(int count, int total) =>
        (100.0 * count / total).ToString("F1", CultureInfo.InvariantCulture) + "%";
}
