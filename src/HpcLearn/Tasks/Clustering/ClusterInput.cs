using HpcLearn.Data;

namespace HpcLearn.Tasks.Clustering;

/// <summary>
/// The numeric matrix k-means runs on, read from a table: <see cref="N"/> × <see cref="D"/>
/// row-major, the column names, and for each point its 1-based data row in the file.
/// </summary>
public sealed record ClusterInput(float[] Data, int N, int D, string[] Columns, int[] Rows, IReadOnlyList<string> Notes)
{
    /// <summary>
    /// Takes <paramref name="columns"/> (or every numeric column but <paramref name="exclude"/>) of
    /// <paramref name="table"/>. A missing or non-finite value is an error naming row and column,
    /// unless <paramref name="dropMissing"/>, which drops the row and says so.
    /// </summary>
    public static ClusterInput From(Table table, IReadOnlyList<string>? columns, string? exclude, bool dropMissing)
    {
        var notes = new List<string>();
        List<TableColumn> chosen;
        if (columns is { Count: > 0 })
        {
            chosen = columns.Select(c => table[c]).ToList();
            foreach (var c in chosen.Where(c => c.Kind != ColumnKind.Numeric))
            {
                int row = Array.FindIndex(c.Labels, l => l is not null && !IsNumber(l));
                string example = row >= 0 ? $" ('{c.Labels[row]}' in row {row + 1})" : "";
                throw new UserError($"{table.Source}: column '{c.Name}' is not numeric{example}; k-means needs numbers: leave it out of --columns");
            }
        }
        else
        {
            chosen = table.Columns.Where(c => c.Kind == ColumnKind.Numeric && c.Name != exclude).ToList();
            var ignored = table.Columns.Where(c => c.Kind != ColumnKind.Numeric && c.Name != exclude).Select(c => $"'{c.Name}'").ToList();
            if (ignored.Count > 0)
                notes.Add($"note: ignoring non-numeric column{(ignored.Count > 1 ? "s" : "")} {string.Join(", ", ignored)} (select columns with --columns)");
            if (chosen.Count == 0)
                throw new UserError($"{table.Source}: no numeric columns to cluster; columns are: {string.Join(", ", table.Columns.Select(c => c.Name))}");
        }
        int d = chosen.Count, n0 = table.RowCount;
        var rows = new List<int>(n0);
        for (int i = 0; i < n0; i++)
        {
            int bad = chosen.FindIndex(c => !double.IsFinite(c.Numbers[i]));
            if (bad < 0) { rows.Add(i); continue; }
            if (!dropMissing)
            {
                double v = chosen[bad].Numbers[i];
                string what = double.IsNaN(v) ? "a missing value (or NaN)" : "an infinite value";
                throw new UserError($"{table.Source}: row {i + 1}, column '{chosen[bad].Name}' has {what}; remove or impute it, or pass --drop-missing");
            }
        }
        if (rows.Count < n0) notes.Add($"note: dropped {n0 - rows.Count} of {n0} rows with missing values (--drop-missing)");
        if (rows.Count == 0) throw new UserError($"{table.Source}: no rows left to cluster after dropping rows with missing values");
        var data = new float[rows.Count * d];
        for (int r = 0; r < rows.Count; r++)
            for (int j = 0; j < d; j++) data[r * d + j] = (float)chosen[j].Numbers[rows[r]];
        return new ClusterInput(data, rows.Count, d, chosen.Select(c => c.Name).ToArray(), rows.Select(r => r + 1).ToArray(), notes);
    }

    private static bool IsNumber(string s) => double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);
}
