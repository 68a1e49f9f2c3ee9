using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using HpcLearn.Data;

namespace HpcLearn.Tasks.Clustering;

/// <summary>
/// The numeric columns of a delimited file read in chunks of at most <see cref="ChunkRows"/> rows,
/// for <c>hpclearn cluster --stream</c>: each <see cref="Read"/> opens the file again, so only one
/// chunk is held at a time. The parsing is <see cref="CsvSource"/>'s (CsvHelper, detected delimiter,
/// RFC 4180 quotes, the same missing tokens), and each value is read as a double and then narrowed to
/// float, as the in-memory path does, so both see the same numbers. Without <c>--columns</c> the
/// columns whose values in the first chunk are all numbers (or missing) are clustered: a table in
/// memory is typed from every row, a stream only from what it has seen.
/// </summary>
internal sealed class ClusterTableStream
{
    private readonly int[] picks;
    private readonly int labelIndex, width;
    private readonly char delimiter;
    private readonly HashSet<string> missing = new(CsvOptions.DefaultMissingTokens, StringComparer.Ordinal);

    /// <summary>The file.</summary>
    public string Path { get; }
    /// <summary>The clustered columns, in order.</summary>
    public string[] Columns { get; }
    /// <summary>The most rows one chunk holds.</summary>
    public int ChunkRows { get; }
    /// <summary>The <c>--labels</c> column, or null.</summary>
    public string? LabelsColumn { get; }
    /// <summary>Drop rows with a missing or non-finite value instead of refusing the file.</summary>
    public bool DropMissing { get; }
    /// <summary>What the user should know about the columns chosen.</summary>
    public IReadOnlyList<string> Notes { get; }

    private ClusterTableStream(string path, string[] header, int[] picks, int labelIndex, char delimiter, int chunkRows, bool dropMissing, IReadOnlyList<string> notes)
    {
        Path = path; this.picks = picks; this.labelIndex = labelIndex; this.delimiter = delimiter; width = header.Length;
        Columns = picks.Select(j => header[j]).ToArray();
        LabelsColumn = labelIndex >= 0 ? header[labelIndex] : null;
        ChunkRows = chunkRows; DropMissing = dropMissing; Notes = notes;
    }

    /// <summary>Reads the header (and, without <paramref name="columns"/>, the first chunk to find the numeric columns).</summary>
    /// <exception cref="UserError">Missing file, not a delimited text file, an unknown column, or no numeric column.</exception>
    public static ClusterTableStream Open(string path, IReadOnlyList<string>? columns, string? labelsColumn, bool dropMissing, int chunkRows)
    {
        DataFile.EnsureExists(path);
        var extension = System.IO.Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".csv" or ".tsv" or ".txt"))
            throw new UserError($"data file '{path}': --stream reads delimited text (.csv, .tsv, .txt), not '{extension}'; convert it to CSV or leave out --stream");
        if (chunkRows < 1) throw new UserError($"--chunk-rows must be at least 1 (got {chunkRows})");
        char delimiter = extension == ".tsv" ? '\t' : CsvDelimiter.Detect(CsvDelimiter.FirstLine(path));
        string[] header;
        using (var parser = Parser(path, delimiter))
        {
            if (!parser.Read()) throw new UserError($"{path}: the file is empty");
            header = Enumerable.Range(0, parser.Count).Select(i => parser[i]).ToArray();
        }
        int Index(string name) => Array.IndexOf(header, name) is var j and >= 0 ? j
            : throw new UserError($"{path}: no column '{name}'; columns are: {string.Join(", ", header)}");
        int labelIndex = labelsColumn is null ? -1 : Index(labelsColumn);
        var notes = new List<string>();
        if (columns is { Count: > 0 })
            return new ClusterTableStream(path, header, columns.Select(Index).ToArray(), labelIndex, delimiter, chunkRows, dropMissing, notes);
        var all = Enumerable.Range(0, header.Length).Where(j => j != labelIndex).ToArray();
        var probe = new ClusterTableStream(path, header, all, labelIndex, delimiter, chunkRows, dropMissing, notes);
        var numeric = probe.NumericInFirstChunk();
        var ignored = all.Where(j => !numeric[Array.IndexOf(all, j)]).Select(j => $"'{header[j]}'").ToList();
        if (ignored.Count > 0)
            notes.Add($"note: ignoring non-numeric column{(ignored.Count > 1 ? "s" : "")} {string.Join(", ", ignored)} (judged from the first {chunkRows} rows; select columns with --columns)");
        var picks = all.Where((_, t) => numeric[t]).ToArray();
        if (picks.Length == 0)
            throw new UserError($"{path}: no numeric columns to cluster; columns are: {string.Join(", ", header)}");
        return new ClusterTableStream(path, header, picks, labelIndex, delimiter, chunkRows, dropMissing, notes);
    }

    /// <summary>
    /// The chunks, from the top of the file: at most <see cref="ChunkRows"/> rows each, never empty.
    /// Rows dropped for a missing value (with <see cref="DropMissing"/>) are counted in <see cref="StreamChunk.Dropped"/>.
    /// </summary>
    /// <exception cref="UserError">A ragged row, or a value that is not a number (or, without <see cref="DropMissing"/>, missing or infinite), naming the data row and the column.</exception>
    public IEnumerable<StreamChunk> Read()
    {
        int d = picks.Length;
        using var parser = Parser(Path, delimiter);
        parser.Read();
        var chunk = StreamChunk.Empty(ChunkRows, d, LabelsColumn is not null);
        long row = 0;
        while (parser.Read())
        {
            row++;
            if (parser.Count != width) throw new UserError($"{Path}: row {row} has {parser.Count} fields but the header has {width}");
            int at = chunk.Count * d;
            bool keep = true;
            for (int t = 0; t < d && keep; t++)
            {
                var text = parser[picks[t]];
                double v = double.NaN;
                if (!missing.Contains(text) && !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out v))
                    throw new UserError($"{Path}: row {row}, column '{Columns[t]}' has '{DataFile.Snippet(text)}', which is not a number; --stream clusters numeric columns only: fix the value or leave the column out with --columns");
                if (!double.IsFinite(v))
                {
                    if (!DropMissing)
                        throw new UserError($"{Path}: row {row}, column '{Columns[t]}' has {(double.IsNaN(v) ? "a missing value (or NaN)" : "an infinite value")}; remove or impute it, or pass --drop-missing");
                    keep = false;
                }
                else chunk.Values[at + t] = (float)v;
            }
            if (!keep) { chunk.Dropped++; continue; }
            chunk.Rows[chunk.Count] = row;
            if (chunk.Labels is { } labels)
            {
                labels[chunk.Count] = parser[labelIndex];
                if (missing.Contains(labels[chunk.Count])) throw new UserError($"{Path}: row {row}, labels column '{LabelsColumn}' is missing; every row needs a label for --labels");
            }
            if (++chunk.Count == ChunkRows)
            {
                yield return chunk;
                chunk = StreamChunk.Empty(ChunkRows, d, LabelsColumn is not null);
            }
        }
        if (row == 0) throw new UserError($"{Path}: has a header but no data rows");
        if (chunk.Count > 0 || chunk.Dropped > 0) yield return chunk.Trimmed();
    }

    /// <summary>For each candidate column, whether its values in the first chunk are all numbers or missing (and at least one is present).</summary>
    private bool[] NumericInFirstChunk()
    {
        var present = new bool[picks.Length];
        var numeric = Enumerable.Repeat(true, picks.Length).ToArray();
        using var parser = Parser(Path, delimiter);
        parser.Read();
        for (int row = 0; row < ChunkRows && parser.Read(); row++)
            for (int t = 0; t < picks.Length; t++)
            {
                if (picks[t] >= parser.Count) continue; // a ragged row is reported by Read
                var text = parser[picks[t]];
                if (missing.Contains(text)) continue;
                present[t] = true;
                numeric[t] &= double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
            }
        return numeric.Select((ok, t) => ok && present[t]).ToArray();
    }

    private static CsvParser Parser(string path, char delimiter) =>
        new(new StreamReader(DataFile.Open(path)), new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter.ToString(),
            TrimOptions = TrimOptions.Trim,
            BadDataFound = args => throw new UserError($"{path}: bad quoting in '{DataFile.Snippet(args.Field.Trim())}'; a field that holds quotes must be wrapped in quotes, with each inner quote doubled (\"\")"),
        });
}
