using System.Globalization;

namespace HpcLearn.Data;

/// <summary>
/// Streams the numeric columns of a comma-separated file in chunks of whole rows, for data larger
/// than memory: each <see cref="Read"/> opens the file again and yields row-major float arrays of at
/// most <see cref="ChunkRows"/> rows. Plain CSV only (a header line, then numbers; quotes around a
/// header name are dropped, quoted values are not supported). A value that is not a finite number
/// is an error naming the file's line and the column.
/// </summary>
public sealed class CsvNumericChunks
{
    private readonly int[] picks;

    /// <summary>The file.</summary>
    public string Path { get; }
    /// <summary>Names of the columns read, in order.</summary>
    public string[] Columns { get; }
    /// <summary>Rows per chunk.</summary>
    public int ChunkRows { get; }

    private CsvNumericChunks(string path, string[] columns, int[] picks, int chunkRows)
    {
        Path = path; Columns = columns; this.picks = picks; ChunkRows = chunkRows;
    }

    /// <summary>Reads the header of <paramref name="path"/> and picks <paramref name="columns"/> (default: every column).</summary>
    public static CsvNumericChunks Open(string path, IReadOnlyList<string>? columns = null, int chunkRows = 100_000)
    {
        if (!File.Exists(path)) throw new UserError($"data file '{path}' not found");
        if (chunkRows < 1) throw new UserError($"{path}: chunk rows must be at least 1 (got {chunkRows})");
        string? header;
        using (var r = new StreamReader(path)) header = r.ReadLine();
        if (string.IsNullOrWhiteSpace(header)) throw new UserError($"{path}: the file is empty");
        var names = header.Split(',').Select(h => h.Trim().Trim('"')).ToArray();
        int[] picks;
        if (columns is { Count: > 0 })
        {
            picks = columns.Select(c =>
            {
                int j = Array.IndexOf(names, c);
                return j >= 0 ? j : throw new UserError($"{path}: no column '{c}'; columns are: {string.Join(", ", names)}");
            }).ToArray();
        }
        else picks = Enumerable.Range(0, names.Length).ToArray();
        return new CsvNumericChunks(path, picks.Select(j => names[j]).ToArray(), picks, chunkRows);
    }

    /// <summary>The chunks, from the top of the file.</summary>
    public IEnumerable<float[]> Read()
    {
        int d = picks.Length, need = picks.Max() + 1;
        using var reader = new StreamReader(Path);
        reader.ReadLine();
        var buffer = new List<float>(ChunkRows * d);
        int line = 1;
        string? text;
        while ((text = reader.ReadLine()) is not null)
        {
            line++;
            if (text.Length == 0) continue;
            var fields = text.Split(',');
            if (fields.Length < need) throw new UserError($"{Path}: line {line} has {fields.Length} fields, expected at least {need}");
            for (int t = 0; t < d; t++)
            {
                var f = fields[picks[t]].Trim();
                if (!float.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) || !float.IsFinite(v))
                    throw new UserError($"{Path}: line {line}, column '{Columns[t]}': {(f.Length == 0 ? "missing value" : $"'{f}' is not a finite number")}; remove or impute it, or leave the column out with --columns");
                buffer.Add(v);
            }
            if (buffer.Count == ChunkRows * d) { yield return buffer.ToArray(); buffer.Clear(); }
        }
        if (buffer.Count > 0) yield return buffer.ToArray();
    }
}
