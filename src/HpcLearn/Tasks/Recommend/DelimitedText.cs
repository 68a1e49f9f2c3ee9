using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace HpcLearn.Tasks.Recommend;

/// <summary>
/// Reads the delimited files of this task (ratings, pairs, titles) with CsvHelper's parser:
/// RFC 4180 quoting for ',' and ';', none for tab, '|' and '::' (MovieLens u.item titles hold
/// stray quotes). Detects the separator and the header line when not given.
/// </summary>
internal sealed class DelimitedText : IDisposable
{
    private readonly CsvParser _parser;
    private readonly string _path;

    private DelimitedText(string path, CsvParser parser, string separator, string[]? header, string[] first, int firstLine)
    {
        _path = path;
        _parser = parser;
        Separator = separator;
        Header = header;
        FirstFields = first;
        FirstLine = firstLine;
    }

    /// <summary>The separator in use.</summary>
    public string Separator { get; }

    /// <summary>Column names when the file has a header line, else null.</summary>
    public string[]? Header { get; }

    /// <summary>Fields of the first line (the header, or the first data line).</summary>
    public string[] FirstFields { get; }

    /// <summary>Line of <see cref="FirstFields"/>.</summary>
    public int FirstLine { get; }

    /// <summary>Opens <paramref name="path"/>; a <see cref="UserError"/> when it is missing or empty.</summary>
    public static DelimitedText Open(string path, string? separator, bool? header, Encoding? encoding = null)
    {
        if (Directory.Exists(path)) throw new UserError($"data file '{path}' is a directory, not a file");
        if (!File.Exists(path)) throw new UserError($"data file '{path}' not found");
        string sep = NormaliseSeparator(separator) ?? Detect(FirstNonBlank(path, encoding));
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = sep,
            Mode = sep is "," or ";" ? CsvMode.RFC4180 : CsvMode.NoEscape,
            TrimOptions = TrimOptions.Trim,
            CacheFields = true,
            IgnoreBlankLines = true,
            BadDataFound = a => throw new UserError($"{path}:{a.Context.Parser?.RawRow}: badly quoted field '{Snippet(a.Field)}'; close the quote or remove it"),
        };
        StreamReader reader;
        try { reader = new StreamReader(path, encoding ?? new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"cannot read data file '{path}': {e.Message}", e);
        }
        var parser = new CsvParser(reader, config);
        if (!parser.Read()) { parser.Dispose(); throw new UserError($"{path}: the file is empty; it needs one rating per line (user, item, rating[, timestamp])"); }
        var first = parser.Record!.ToArray();
        bool hasHeader = header ?? !first.Any(IsNumber);
        return new DelimitedText(path, parser, sep, hasHeader ? first : null, first, parser.RawRow);
    }

    /// <summary>The data lines: fields and 1-based line number (the first line too when there is no header).</summary>
    public IEnumerable<(string[] Fields, int Line)> Rows()
    {
        if (Header is null) yield return (FirstFields, FirstLine);
        while (_parser.Read()) yield return (_parser.Record!, _parser.RawRow);
    }

    /// <summary>
    /// The 0-based index of a column: <paramref name="spec"/> as a 1-based position or a header
    /// name; null tries <paramref name="aliases"/> in the header (case-insensitive), or
    /// <paramref name="position"/> without one. -1 when optional and absent.
    /// </summary>
    public int Column(string? spec, string[] aliases, int position, string key, bool optional)
    {
        if (spec is not null && int.TryParse(spec, NumberStyles.None, CultureInfo.InvariantCulture, out int p))
        {
            if (p < 1 || p > FirstFields.Length)
                throw new UserError($"{_path}:{FirstLine}: {key} is column {p}, but the line has {FirstFields.Length} field{(FirstFields.Length == 1 ? "" : "s")} (separator '{Shown(Separator)}'); set {key} or data.separator");
            return p - 1;
        }
        if (spec is not null)
        {
            if (Header is null)
                throw new UserError($"{_path}: {key} '{spec}' names a column, but the file has no header line; give its position (1, 2, ...) or set the header option to true");
            int at = Array.FindIndex(Header, h => h.Equals(spec, StringComparison.OrdinalIgnoreCase));
            if (at < 0)
                throw new UserError($"{_path}:{FirstLine}: no column '{spec}' in the header ({string.Join(", ", Header)}); set {key} to one of them");
            return at;
        }
        if (Header is not null)
        {
            foreach (var a in aliases)
            {
                int at = Array.FindIndex(Header, h => h.Equals(a, StringComparison.OrdinalIgnoreCase));
                if (at >= 0) return at;
            }
            if (optional) return -1;
            throw new UserError($"{_path}:{FirstLine}: cannot tell which column is the {key.Split('.').Last().Replace("_column", "")} (header: {string.Join(", ", Header)}); set {key}");
        }
        if (position < FirstFields.Length) return position;
        if (optional) return -1;
        throw new UserError($"{_path}:{FirstLine}: has {FirstFields.Length} field{(FirstFields.Length == 1 ? "" : "s")} with separator '{Shown(Separator)}', but {key} defaults to column {position + 1}; set data.separator or {key}");
    }

    /// <summary>Whether the text is a finite number (invariant culture).</summary>
    public static bool IsNumber(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v);

    /// <summary>A value as it may appear in a one-line message.</summary>
    public static string Snippet(string? value)
    {
        var flat = (value ?? "").Replace("\r", "\\r").Replace("\n", "\\n");
        return flat.Length <= 40 ? flat : flat[..40] + "...";
    }

    /// <summary>"tab" and "\t" mean a tab; anything else is taken literally; null stays null (detect).</summary>
    public static string? NormaliseSeparator(string? s) => s switch
    {
        null => null,
        "tab" or "\\t" or "TAB" => "\t",
        "comma" => ",",
        "pipe" => "|",
        _ => s,
    };

    /// <summary>"::" when present, else the most frequent of tab, comma, semicolon and '|' (comma when none).</summary>
    public static string Detect(string line)
    {
        if (line.Contains("::", StringComparison.Ordinal)) return "::";
        string[] candidates = ["\t", ",", ";", "|"];
        var counts = candidates.Select(c => line.Count(ch => ch == c[0])).ToArray();
        int best = 0;
        for (int k = 1; k < counts.Length; k++) if (counts[k] > counts[best]) best = k;
        return counts[best] == 0 ? "," : candidates[best];
    }

    private static string Shown(string sep) => sep == "\t" ? "tab" : sep;

    private static string FirstNonBlank(string path, Encoding? encoding)
    {
        using var reader = new StreamReader(path, encoding ?? Encoding.UTF8);
        while (reader.ReadLine() is { } line)
            if (line.Trim().Length > 0) return line;
        return "";
    }

    /// <inheritdoc />
    public void Dispose() => _parser.Dispose();
}
