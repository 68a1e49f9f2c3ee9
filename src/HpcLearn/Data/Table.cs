namespace HpcLearn.Data;

/// <summary>
/// A small columnar table read from a CSV or JSON file: named, typed columns of equal length.
/// <see cref="Source"/> names the file, so later errors can point at it.
/// </summary>
public sealed class Table
{
    /// <summary>Creates a table; all columns must have the same length.</summary>
    public Table(IReadOnlyList<TableColumn> columns, string source = "<memory>")
    {
        if (columns.Select(c => c.Length).Distinct().Count() > 1)
            throw new ArgumentException("all columns must have the same length", nameof(columns));
        Columns = columns;
        Source = source;
    }

    /// <summary>The columns, in file order.</summary>
    public IReadOnlyList<TableColumn> Columns { get; }

    /// <summary>The file the table was read from, or "&lt;memory&gt;".</summary>
    public string Source { get; }

    /// <summary>Number of rows.</summary>
    public int RowCount => Columns.Count == 0 ? 0 : Columns[0].Length;

    /// <summary>The column with this name, or null.</summary>
    public TableColumn? Find(string name)
    {
        // By name in constant time: the preprocessing looks every column up by name, which a
        // scan would make quadratic in the column count (minutes for a 100,000-column file).
        _byName ??= Columns.GroupBy(c => c.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return _byName.GetValueOrDefault(name);
    }

    private Dictionary<string, TableColumn>? _byName;

    /// <summary>The column with this name; a <see cref="UserError"/> naming the file and the columns it has otherwise.</summary>
    public TableColumn this[string name] => Find(name)
        ?? throw new UserError($"{Source}: no column '{name}'; columns are: {string.Join(", ", Columns.Select(c => c.Name))}");

    /// <summary>A new table holding only the given rows.</summary>
    public Table SelectRows(IReadOnlyList<int> rows) => new(Columns.Select(c => c.Select(rows)).ToList(), Source);
}
