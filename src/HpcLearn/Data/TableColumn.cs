namespace HpcLearn.Data;

/// <summary>
/// One column of a <see cref="Table"/>. Numeric columns hold <see cref="Numbers"/> (NaN for
/// missing); categorical columns hold <see cref="Labels"/> (null for missing).
/// </summary>
public sealed class TableColumn
{
    private TableColumn(string name, ColumnKind kind, double[]? numbers, string?[]? labels)
    {
        Name = name; Kind = kind; _numbers = numbers; _labels = labels;
    }

    private readonly double[]? _numbers;
    private readonly string?[]? _labels;

    /// <summary>Column name as in the file's header.</summary>
    public string Name { get; }

    /// <summary>Numeric or categorical.</summary>
    public ColumnKind Kind { get; }

    /// <summary>Number of rows.</summary>
    public int Length => _numbers?.Length ?? _labels!.Length;

    /// <summary>The values of a numeric column (NaN = missing).</summary>
    public double[] Numbers => _numbers ?? throw new InvalidOperationException($"column '{Name}' is categorical");

    /// <summary>The values of a categorical column (null = missing).</summary>
    public string?[] Labels => _labels ?? throw new InvalidOperationException($"column '{Name}' is numeric");

    /// <summary>Count of missing values.</summary>
    public int MissingCount => _numbers is not null ? _numbers.Count(double.IsNaN) : _labels!.Count(l => l is null);

    /// <summary>A numeric column.</summary>
    public static TableColumn Numeric(string name, double[] values) => new(name, ColumnKind.Numeric, values, null);

    /// <summary>A categorical column.</summary>
    public static TableColumn Categorical(string name, string?[] values) => new(name, ColumnKind.Categorical, null, values);

    /// <summary>The value at <paramref name="row"/> as text ("" when missing), for output files.</summary>
    public string Format(int row) => _numbers is not null
        ? (double.IsNaN(_numbers[row]) ? "" : _numbers[row].ToString("R", System.Globalization.CultureInfo.InvariantCulture))
        : _labels![row] ?? "";

    /// <summary>A new column holding only the given rows, in that order.</summary>
    public TableColumn Select(IReadOnlyList<int> rows) => _numbers is not null
        ? Numeric(Name, rows.Select(r => _numbers[r]).ToArray())
        : Categorical(Name, rows.Select(r => _labels![r]).ToArray());
}
