using System.Globalization;
using HpcLearn.Data;
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

    /// <summary>How many names a warning about several columns or classes lists before "and N more".</summary>
    public const int Listed = 3;

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
            var rare = balance.Where(kv => kv.Value < RareClassShare * labelled).ToList();
            if (rare.Count == 1)
                warnings.Add(
                    $"class '{rare[0].Key}' is only {Percent(rare[0].Value, labelled)} of the rows ({rare[0].Value} of {labelled}): " +
                    "its metrics will be noisy and the model may learn to ignore it");
            else if (rare.Count > 1)
                warnings.Add(
                    $"{rare.Count} classes are each under {Percent(1, (int)(1 / RareClassShare))} of the rows: " +
                    List(rare.Select(kv => $"'{DataFile.Snippet(kv.Key)}' ({kv.Value} of {labelled})").ToList(), rare.Count) +
                    ": their metrics will be noisy and the model may learn to ignore them");
        }

        // One line per kind of problem, however many columns have it: a file with thousands of
        // columns must not print thousands of warnings.
        var read = columns.Where(c => c.Role != "ignored").ToList();
        var constant = read.Where(c => c.Distinct == 1 && c.Missing == 0).ToList();
        if (constant.Count == 1)
            warnings.Add($"column '{constant[0].Name}' has the same value in every row: it carries no information");
        else if (constant.Count > 1)
            warnings.Add($"{constant.Count} columns have the same value in every row (they carry no information): " +
                List(constant.Select(c => $"'{DataFile.Snippet(c.Name)}'").ToList(), constant.Count));
        var gappy = read.Where(c => c.Role != "target" && c.Missing > MissingShare * rows).ToList();
        if (gappy.Count == 1)
            warnings.Add($"column '{gappy[0].Name}' is {Percent(gappy[0].Missing, rows)} missing ({gappy[0].Missing} of {rows} rows)");
        else if (gappy.Count > 1)
            warnings.Add($"{gappy.Count} columns are more than {Percent(1, (int)(1 / MissingShare))} missing: " +
                List(gappy.Select(c => $"'{DataFile.Snippet(c.Name)}' ({Percent(c.Missing, rows)})").ToList(), gappy.Count));
        return warnings.ToArray();
    }

    /// <summary>
    /// The first <see cref="Listed"/> of <paramref name="items"/> and how many more: <c>a, b and c</c>,
    /// or <c>a, b, c and 9 more</c>.
    /// </summary>
    public static string List(IReadOnlyList<string> items, int total)
    {
        if (total <= Listed) return items.Count == 1 ? items[0] : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1];
        return string.Join(", ", items.Take(Listed)) + $" and {total - Listed} more";
    }

    public static string Percent(int count, int total) =>
        (100.0 * count / total).ToString("F1", CultureInfo.InvariantCulture) + "%";
}
