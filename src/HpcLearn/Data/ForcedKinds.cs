using System.Globalization;

namespace HpcLearn.Data;

/// <summary>
/// The column types a user forces with <see cref="CsvOptions.NumericColumns"/> and
/// <see cref="CsvOptions.CategoricalColumns"/> (config keys <c>data.numeric</c>, <c>data.categorical</c>).
/// </summary>
internal static class ForcedKinds
{
    /// <summary>
    /// The forced kind of each named column. A name the file does not have is an error, because
    /// a typo here would otherwise silently leave the column's type to inference.
    /// </summary>
    public static Dictionary<string, ColumnKind> Resolve(IReadOnlyList<string> columns, CsvOptions options, string source)
    {
        var forced = new Dictionary<string, ColumnKind>(StringComparer.Ordinal);
        Add(options.NumericColumns, ColumnKind.Numeric, "data.numeric");
        Add(options.CategoricalColumns, ColumnKind.Categorical, "data.categorical");
        return forced;

        void Add(IReadOnlyList<string> names, ColumnKind kind, string key)
        {
            foreach (var name in names)
            {
                if (!columns.Contains(name))
                    throw new UserError($"{source}: column '{name}' is listed under {key} but the file has no such column; columns are: {string.Join(", ", columns)}");
                if (forced.TryGetValue(name, out var other) && other != kind)
                    throw new UserError($"column '{name}' is listed under both data.numeric and data.categorical; keep it in one");
                forced[name] = kind;
            }
        }
    }

    /// <summary>
    /// Converts the columns of an already typed table (JSON) to the forced kinds. Record numbers
    /// in errors are 1-based, as a person counts them.
    /// </summary>
    public static Table Apply(Table table, CsvOptions? options)
    {
        if (options is null || options.NumericColumns.Count + options.CategoricalColumns.Count == 0) return table;
        var forced = Resolve(table.Columns.Select(c => c.Name).ToList(), options, table.Source);
        var columns = table.Columns.Select(c => forced.TryGetValue(c.Name, out var kind) && kind != c.Kind
            ? Convert(c, table.Source, options.NumericReason) : c).ToList();
        return new Table(columns, table.Source);
    }

    private static TableColumn Convert(TableColumn column, string source, string numericReason)
    {
        if (column.Kind == ColumnKind.Numeric)
            return TableColumn.Categorical(column.Name, Enumerable.Range(0, column.Length)
                .Select(r => double.IsNaN(column.Numbers[r]) ? null : column.Format(r)).ToArray());
        var labels = column.Labels;
        var numbers = new double[labels.Length];
        for (var r = 0; r < labels.Length; r++)
        {
            if (labels[r] is not { } label) { numbers[r] = double.NaN; continue; }
            if (!double.TryParse(label, NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[r]))
                throw new UserError($"{source}: column '{column.Name}' {numericReason} but record {r + 1} has '{DataFile.Snippet(label)}'");
        }
        return TableColumn.Numeric(column.Name, numbers);
    }
}
