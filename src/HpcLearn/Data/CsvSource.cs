using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace HpcLearn.Data;

/// <summary>
/// Reads a delimited text file (CSV, TSV, semicolon-separated) with a header line into a
/// <see cref="Table"/>, inferring each column's type. Quoting follows RFC 4180 (CsvHelper's
/// parser). Bad data is refused with a <see cref="UserError"/> that names the file and line.
/// </summary>
public static class CsvSource
{
    /// <summary>
    /// The most characters one field may hold (1 MiB). Real values are short; a longer one is a
    /// broken file (an unclosed quote, a binary file) or a hostile one, and as a class label it
    /// would be copied into model.json.
    /// </summary>
    public const int MaxFieldChars = 1 << 20;

    /// <summary>The most columns a file may have (100,000); a wider header is refused before any row is read.</summary>
    public const int MaxColumns = 100_000;

    /// <summary>Rows read between two looks at the stop token.</summary>
    private const int RowsPerStopCheck = 1024;

    /// <summary>Loads <paramref name="path"/>; <paramref name="options"/> defaults to <c>new CsvOptions()</c>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">How to read it.</param>
    /// <param name="stop">
    /// Looked at every few rows: a stop signal during a long load ends it with
    /// <see cref="OperationCanceledException"/> instead of after the whole file.
    /// </param>
    /// <exception cref="UserError">
    /// The file is missing, empty, ragged, has a bad header or a bad value, a field longer than
    /// <see cref="MaxFieldChars"/> or more than <see cref="MaxColumns"/> columns.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="stop"/> was cancelled.</exception>
    public static Table Load(string path, CsvOptions? options = null, CancellationToken stop = default)
    {
        options ??= new CsvOptions();
        var delimiter = options.Delimiter ?? CsvDelimiter.Detect(CsvDelimiter.FirstLine(path));
        var previousEnd = 0; // last line of the previous record: where an unclosed quote starts
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter.ToString(),
            TrimOptions = TrimOptions.Trim,
            CacheFields = true, // repeated labels share one string instead of one per cell
            BadDataFound = args => throw BadQuoting(path, args, previousEnd),
            MaxFieldSize = MaxFieldChars,
        };
        // One pass over the file (a FIFO works), with the header's width checked as it streams in.
        using var parser = new CsvParser(new CsvHeaderGuard(new StreamReader(DataFile.Open(path)), path, delimiter, MaxColumns), config);
        try
        {
            return Read(parser, path, options, stop, end => previousEnd = end);
        }
        catch (MaxFieldSizeException)
        {
            throw new UserError($"{path}:{previousEnd + 1}: a field in the record that starts on this line is longer than {MaxFieldChars:N0} characters (1 MiB), "
                + "the most a value may hold; is a quote not closed, or is this not a text table?");
        }
    }

    private static Table Read(CsvParser parser, string path, CsvOptions options, CancellationToken stop, Action<int> recordEnd)
    {
        if (!parser.Read()) throw new UserError($"{path}: the file is empty");
        var columns = ReadHeader(parser, path, options);
        var missing = new HashSet<string>(options.MissingTokens, StringComparer.Ordinal);
        recordEnd(parser.RawRow);
        var rows = 0;
        while (parser.Read())
        {
            if (parser.Count != columns.Length)
                throw Ragged(parser, path, columns.Length, columns);
            for (var i = 0; i < columns.Length; i++)
            {
                var text = parser[i];
                if (columns[i].Add(missing.Contains(text) ? null : text)) continue;
                if (columns[i].Forced == ColumnKind.Numeric)
                    throw new UserError($"{path}:{StartLine(parser)}: column '{columns[i].Name}' {options.NumericReason} but has '{DataFile.Snippet(text)}'");
                columns[i].NoteFirstBad(text, StartLine(parser));
            }
            recordEnd(parser.RawRow);
            if (++rows % RowsPerStopCheck == 0) stop.ThrowIfCancellationRequested();
        }
        stop.ThrowIfCancellationRequested();
        if (rows == 0) throw new UserError($"{path}: has a header but no data rows");
        return new Table(columns.Select(c => c.Build(path)).ToList(), path);
    }

    private static CsvColumnBuilder[] ReadHeader(CsvParser parser, string path, CsvOptions options)
    {
        var line = StartLine(parser);
        var names = new string[parser.Count];
        var seen = new Dictionary<string, int>(names.Length, StringComparer.Ordinal); // a scan per name was quadratic
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = parser[i];
            if (names[i].Length == 0)
                throw new UserError($"{path}:{line}: column {i + 1} of the header has no name; give every column a name");
            if (!seen.TryAdd(names[i], i))
                throw new UserError($"{path}:{line}: column name '{DataFile.Snippet(names[i])}' appears twice in the header (columns {seen[names[i]] + 1} and {i + 1}); names must be unique");
        }
        var forced = ForcedKinds.Resolve(names, options, path);
        return names.Select(n => new CsvColumnBuilder(n, forced.TryGetValue(n, out var k) ? k : null)).ToArray();
    }

    /// <summary>
    /// The 1-based file line where the current record starts. CsvHelper's RawRow is the line it
    /// ends on; a quoted field may span lines, so the line breaks inside the record are taken off.
    /// </summary>
    private static int StartLine(IParser parser)
    {
        var raw = parser.RawRecord.AsSpan().TrimEnd("\r\n");
        var inner = 0;
        for (var i = 0; i < raw.Length; i++)
            if (raw[i] == '\n' || (raw[i] == '\r' && (i + 1 == raw.Length || raw[i + 1] != '\n'))) inner++;
        return parser.RawRow - inner;
    }

    private static UserError Ragged(CsvParser parser, string path, int expected, CsvColumnBuilder[] columns)
    {
        // CsvHelper reports bad quoting only when a field is read, and an unclosed quote also
        // makes the row look short, so the fields are read first to report the real cause.
        for (var i = 0; i < parser.Count; i++) _ = parser[i];
        // scikit-learn's CSVs start with counts (rows, features, class names), not column names.
        bool counts = columns.Length >= 2 && int.TryParse(columns[0].Name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _) && int.TryParse(columns[1].Name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _);
        return new UserError($"{path}:{StartLine(parser)}: row has {parser.Count} fields but the header has {expected}"
            + (counts ? $"; line 1 ('{columns[0].Name},{columns[1].Name},...') looks like a count header (rows, features, class names; scikit-learn's layout), not column names: replace it with a line of {parser.Count} column names" : ""));
    }

    private static UserError BadQuoting(string path, BadDataFoundArgs args, int previousEnd)
    {
        var field = args.Field;
        // An odd number of quotes after an opening one means the parser ran to the end of the
        // file looking for the closing quote, so the record started right after the previous one.
        var unclosed = field.StartsWith('"') && field.Count(c => c == '"') % 2 == 1;
        return unclosed
            ? new UserError($"{path}:{previousEnd + 1}: a quoted field starts on this line but its closing quote is missing")
            : new UserError($"{path}:{StartLine(args.Context.Parser!)}: bad quoting in '{DataFile.Snippet(field.Trim())}'; "
                + "a field that holds quotes must be wrapped in quotes, with each inner quote doubled (\"\")");
    }
}
