using System.Text.Json;

namespace HpcLearn.Data;

/// <summary>
/// Collects one key's values across the records of a JSON file. The JSON type decides the
/// column type: numbers make a numeric column, strings and booleans a categorical one.
/// </summary>
internal sealed class JsonColumnBuilder(string name, int rows)
{
    private ColumnKind? _kind;
    private double[]? _numbers;
    private string?[]? _labels;

    /// <summary>The key, used as the column name.</summary>
    public string Name { get; } = name;

    /// <summary>Stores record <paramref name="row"/>'s value (0-based); null leaves it missing.</summary>
    public void Set(int row, JsonElement value, string source)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return;
            case JsonValueKind.Number:
                Expect(ColumnKind.Numeric, row, value, source);
                if (!value.TryGetDouble(out var number) || !double.IsFinite(number))
                    throw new UserError($"{source}: record {row + 1}, key '{Name}': the number {DataFile.Snippet(value.GetRawText())} is out of range");
                Numbers()[row] = number;
                return;
            case JsonValueKind.String or JsonValueKind.True or JsonValueKind.False:
                Expect(ColumnKind.Categorical, row, value, source);
                _labels ??= new string?[rows];
                var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
                if (text.Length > CsvSource.MaxFieldChars) // as for CSV: a label this long would land in model.json
                    throw new UserError($"{source}: record {row + 1}, key '{DataFile.Snippet(Name)}': the string is longer than {CsvSource.MaxFieldChars:N0} characters (1 MiB), the most a value may hold");
                _labels[row] = text;
                return;
            default:
                throw new UserError($"{source}: record {row + 1}, key '{Name}' holds {Describe(value)}; records must be flat, one number, string or null per key");
        }
    }

    /// <summary>The finished column; a key that is null everywhere becomes an all-missing categorical column.</summary>
    public TableColumn Build() => _kind == ColumnKind.Numeric
        ? TableColumn.Numeric(Name, Numbers())
        : TableColumn.Categorical(Name, _labels ?? new string?[rows]);

    /// <summary>"a string ("abc")", "a number (3)", ... for error messages.</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"a string ('{DataFile.Snippet(value.GetString()!)}')",
        JsonValueKind.Number => $"a number ({DataFile.Snippet(value.GetRawText())})",
        JsonValueKind.True or JsonValueKind.False => $"a boolean ({value.GetRawText()})",
        _ => "null",
    };

    // Missing numbers must read as NaN, so the array is filled on first use rather than left at 0.
    private double[] Numbers()
    {
        if (_numbers is null) { _numbers = new double[rows]; Array.Fill(_numbers, double.NaN); }
        return _numbers;
    }

    private void Expect(ColumnKind kind, int row, JsonElement value, string source)
    {
        if (_kind is { } seen && seen != kind)
            throw new UserError($"{source}: record {row + 1}, key '{Name}' holds {Describe(value)} but earlier records hold "
                + (seen == ColumnKind.Numeric ? "numbers" : "strings") + "; a key must hold one type in every record");
        _kind = kind;
    }
}
