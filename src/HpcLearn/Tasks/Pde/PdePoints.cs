using HpcLearn.Data;

namespace HpcLearn.Tasks.Pde;

/// <summary>Points read from a CSV with a header naming the domain's variables (x,t or x,y), and optionally u.</summary>
internal static class PdePoints
{
    /// <summary>The flattened (n, d) points of <paramref name="path"/>, and u when <paramref name="requireU"/>.</summary>
    public static (double[] Points, double[]? U, int Rows) Load(string path, IReadOnlyList<string> variables, bool requireU)
    {
        var table = CsvSource.Load(path);
        var names = requireU ? [.. variables, "u"] : variables.ToArray();
        var columns = names.Select(n => Numeric(table, n, path, names)).ToArray();
        int d = variables.Count, rows = table.RowCount;
        if (rows == 0) throw new UserError($"{path}: no rows; give one point per line under the header {string.Join(",", names)}");
        var points = new double[rows * d];
        for (int r = 0; r < rows; r++)
            for (int k = 0; k < d; k++) points[r * d + k] = columns[k][r];
        return (points, requireU ? columns[d] : null, rows);
    }

    private static double[] Numeric(Table table, string name, string path, string[] names)
    {
        var column = table.Find(name)
            ?? throw new UserError($"{path}: no column '{name}'; this model needs the columns {string.Join(",", names)}");
        if (column.Kind != ColumnKind.Numeric)
            throw new UserError($"{path}: column '{name}' holds text; it must hold numbers");
        int missing = Array.FindIndex(column.Numbers, double.IsNaN);
        if (missing >= 0)
            throw new UserError($"{path}:{missing + 2}: column '{name}' is empty; every point needs all of {string.Join(",", names)}");
        return column.Numbers;
    }
}
