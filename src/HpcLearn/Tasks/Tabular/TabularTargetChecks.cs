using System.Globalization;
using HpcLearn.Data;

namespace HpcLearn.Tasks.Tabular;

/// <summary>Checks on a loaded table that catch a target read the wrong way.</summary>
public static class TabularTargetChecks
{
    /// <summary>At most this many distinct whole numbers in a numeric target looks like class ids (digits 0–9 have 10).</summary>
    public const int MaxClassLikeValues = 10;

    /// <summary>
    /// A warning line when a numeric target holds only a few distinct whole numbers (0/1/2 class
    /// ids, say), which <c>data.kind: auto</c> trains as a regression; null otherwise.
    /// </summary>
    public static string? FewWholeNumbers(TableColumn target)
    {
        if (target.Kind != ColumnKind.Numeric) return null;
        var values = target.Numbers.Where(v => !double.IsNaN(v)).ToArray();
        if (values.Length == 0 || values.Any(v => v != Math.Floor(v) || Math.Abs(v) > 1e9)) return null;
        var distinct = values.Distinct().Order().ToArray();
        // A handful of values over many rows; a tiny table of counts is not evidence of classes.
        if (distinct.Length > MaxClassLikeValues || values.Length < 2 * distinct.Length) return null;
        string list = string.Join(", ", distinct.Select(v => v.ToString(CultureInfo.InvariantCulture)));
        return $"warning: target '{target.Name}' holds only {distinct.Length} distinct whole numbers ({list}), so it trains as a regression; "
            + "if they are class ids set data.kind: classification (set data.kind: regression to keep the regression and silence this)";
    }

    /// <summary>
    /// Refuses scikit-learn's CSV layout (<c>sklearn/datasets/data/*.csv</c>), whose first line is
    /// not column names but counts: rows, features, then class names (<c>150,4,setosa,versicolor,virginica</c>).
    /// </summary>
    /// <exception cref="UserError">The header's first name is the number of data rows and its second a whole number.</exception>
    public static void RefuseCountHeader(Table table)
    {
        if (table.Columns.Count < 2) return;
        string first = table.Columns[0].Name, second = table.Columns[1].Name;
        if (!int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out int rows) || rows != table.RowCount) return;
        if (!int.TryParse(second, NumberStyles.None, CultureInfo.InvariantCulture, out int features)) return;
        throw new UserError($"{table.Source}:1: the first line ('{string.Join(",", table.Columns.Take(5).Select(c => c.Name))}{(table.Columns.Count > 5 ? ",..." : "")}') is a count header "
            + $"({rows} rows, {features} features, then class names; scikit-learn's layout), not column names: replace it with a line of column names, e.g. "
            + $"{string.Join(",", Enumerable.Range(0, Math.Min(features, 3)).Select(i => $"x{i}"))}{(features > 3 ? ",..." : "")},target");
    }
}
