using System.Globalization;

namespace HpcLearn.Data;

/// <summary>
/// Collects one CSV column's fields and decides its type once the whole file is read.
/// It keeps both the parsed number and the text of each field, because the type is only known
/// at the end and a categorical column must keep its text exactly ("007" is not 7).
/// </summary>
internal sealed class CsvColumnBuilder(string name, ColumnKind? forced)
{
    /// <summary>Share of numeric values above which the other values are taken for data errors.</summary>
    private const double MostlyNumeric = 0.8;

    // Grown as rows come: a fixed head start of 1,024 per column was 1.6 GB for 100,000 columns.
    private readonly List<string?> _texts = new();
    private readonly List<double> _numbers = new();
    private int _present;
    private int _numeric;
    private string? _firstBad;
    private int _firstBadLine;

    /// <summary>The column name from the header.</summary>
    public string Name { get; } = name;

    /// <summary>The kind the user forced, or null to infer it.</summary>
    public ColumnKind? Forced { get; } = forced;

    /// <summary>
    /// Adds one field (null = missing). Returns false when it is the column's first value that is
    /// not a number; the caller then works out its line with <see cref="NoteFirstBad"/>, which
    /// keeps that costly look-up off the per-cell path.
    /// </summary>
    public bool Add(string? text)
    {
        _texts.Add(Forced == ColumnKind.Numeric ? null : text);
        if (text is null) { _numbers.Add(double.NaN); return true; }
        _present++;
        if (Forced == ColumnKind.Categorical) { _numbers.Add(double.NaN); return true; }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            _numeric++;
            _numbers.Add(value);
            return true;
        }
        _numbers.Add(double.NaN);
        return _firstBad is not null;
    }

    /// <summary>Remembers the first non-number and the file line it is on, for the error message.</summary>
    public void NoteFirstBad(string text, int line) => (_firstBad, _firstBadLine) = (text, line);

    /// <summary>
    /// The finished column. Inference: every present value a number → numeric; at least
    /// 80% numbers → a data error naming the first bad value; otherwise categorical. An
    /// all-missing column is categorical, where "missing" is simply one more level.
    /// </summary>
    public TableColumn Build(string source)
    {
        if (Forced == ColumnKind.Categorical) return TableColumn.Categorical(Name, _texts.ToArray());
        if (Forced == ColumnKind.Numeric || (_present > 0 && _numeric == _present))
            return TableColumn.Numeric(Name, _numbers.ToArray());
        if (_present > 0 && _numeric >= MostlyNumeric * _present)
            throw new UserError($"{source}:{_firstBadLine}: column '{Name}' is numeric but has '{DataFile.Snippet(_firstBad!)}'; "
                + "fix the value, or list the column under data.categorical");
        return TableColumn.Categorical(Name, _texts.ToArray());
    }
}
