using System.Text.Json;

namespace HpcLearn.Data;

/// <summary>
/// Reads a JSON array of flat records (<c>[{"species": "Adelie", "mass": 3750}, ...]</c>, the
/// layout of vega-datasets and of pandas' <c>to_json(orient="records")</c>) into a
/// <see cref="Table"/>. Columns are the union of the keys in first-seen order; JSON numbers
/// make numeric columns, strings and booleans categorical ones (a string holding digits stays
/// a label: the file typed it); null or an absent key is a missing value.
/// </summary>
public static class JsonRecordsSource
{
    /// <summary>Loads <paramref name="path"/>.</summary>
    /// <exception cref="UserError">
    /// The file is missing, empty, not valid JSON, not an array of flat records, a key mixes numbers
    /// and strings, a string is longer than <see cref="CsvSource.MaxFieldChars"/>, or there are more
    /// than <see cref="CsvSource.MaxColumns"/> keys.
    /// </exception>
    public static Table Load(string path)
    {
        using var document = Parse(path);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Array)
            throw new UserError($"{path}: expected a JSON array of records like [{{\"name\": value, ...}}, ...] but the file holds {JsonColumnBuilder.Describe(root)}");
        var rows = root.GetArrayLength();
        if (rows == 0) throw new UserError($"{path}: the array is empty; expected at least one record");

        var byKey = new Dictionary<string, JsonColumnBuilder>(StringComparer.Ordinal);
        var ordered = new List<JsonColumnBuilder>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var row = 0;
        foreach (var record in root.EnumerateArray())
        {
            if (record.ValueKind != JsonValueKind.Object)
                throw new UserError($"{path}: record {row + 1} is {JsonColumnBuilder.Describe(record)}, not an object like {{\"name\": value, ...}}");
            seen.Clear();
            foreach (var property in record.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw new UserError($"{path}: record {row + 1} has the key '{property.Name}' twice");
                if (!byKey.TryGetValue(property.Name, out var column))
                {
                    if (ordered.Count == CsvSource.MaxColumns)
                        throw new UserError($"{path}: record {row + 1} brings the keys to more than {CsvSource.MaxColumns:N0}, the most columns a table may have");
                    column = new JsonColumnBuilder(property.Name, rows);
                    byKey.Add(property.Name, column);
                    ordered.Add(column);
                }
                column.Set(row, property.Value, path);
            }
            row++;
        }
        if (ordered.Count == 0) throw new UserError($"{path}: every record is empty; expected keys with values");
        return new Table(ordered.Select(c => c.Build()).ToList(), path);
    }

    private static JsonDocument Parse(string path)
    {
        using var stream = DataFile.Open(path);
        if (stream.Length == 0) throw new UserError($"{path}: the file is empty");
        try
        {
            return JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            // The parser's message ends with its own position ("Path: $[3] | LineNumber: ..."),
            // which the file:line prefix already says, so it is cut to keep one short line.
            var reason = e.Message;
            var cut = reason.IndexOf(" Path:", StringComparison.Ordinal);
            if (cut < 0) cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut > 0) reason = reason[..cut];
            throw new UserError($"{path}:{(e.LineNumber ?? 0) + 1}: invalid JSON: {reason.Trim()}", e);
        }
    }
}
