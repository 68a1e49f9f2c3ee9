namespace HpcLearn.Data;

/// <summary>
/// How <see cref="CsvSource"/> reads a delimited text file. The defaults suit most files:
/// the delimiter is detected and each column's type is inferred.
/// </summary>
public sealed record CsvOptions
{
    /// <summary>
    /// The tokens read as a missing value by default: empty, <c>NA</c>, <c>N/A</c>, <c>NaN</c>,
    /// <c>nan</c>, <c>null</c>, <c>NULL</c>, <c>?</c> and <c>None</c> (what R, pandas, Excel and
    /// the UCI repository write).
    /// </summary>
    public static IReadOnlyList<string> DefaultMissingTokens { get; } =
        ["", "NA", "N/A", "NaN", "nan", "null", "NULL", "?", "None"];

    /// <summary>
    /// The field delimiter. Default null: detected from the header line, choosing among comma,
    /// semicolon and tab the one that occurs most often outside quotes (comma when none does).
    /// </summary>
    public char? Delimiter
    {
        get;
        init
        {
            if (value is '"' or '\r' or '\n')
                throw new UserError($"a quote or line break cannot be the delimiter; use ',', ';', a tab or another single character");
            field = value;
        }
    }

    /// <summary>Columns read as numbers whatever their values look like; a value that is not a number is then an error. Default: none.</summary>
    public IReadOnlyList<string> NumericColumns { get; init; } = [];

    /// <summary>
    /// Why the <see cref="NumericColumns"/> must hold numbers, as the error for a value that is not one
    /// says it ("column 'age' {reason} but has 'old'"). Default: <c>is listed under data.numeric</c>.
    /// </summary>
    public string NumericReason { get; init; } = "is listed under data.numeric";

    /// <summary>Columns read as labels even when every value is a number (codes, ZIP codes, years as classes). Default: none.</summary>
    public IReadOnlyList<string> CategoricalColumns { get; init; } = [];

    /// <summary>Field values read as missing, compared exactly after trimming. Default: <see cref="DefaultMissingTokens"/>.</summary>
    public IReadOnlyList<string> MissingTokens { get; init; } = DefaultMissingTokens;
}
