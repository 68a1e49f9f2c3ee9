using HpcLearn.Data;
using Xunit;

namespace HpcLearn.Tests.Data;

public sealed class JsonRecordsSourceTests : IDisposable
{
    private const string Penguins = """
        [
          {"Species": "Adelie", "Island": "Torgersen", "Beak Length (mm)": 39.1, "Body Mass (g)": 3750, "Sex": "MALE"},
          {"Species": "Adelie", "Island": "Torgersen", "Beak Length (mm)": null, "Body Mass (g)": null, "Sex": null},
          {"Species": "Gentoo", "Island": "Biscoe", "Beak Length (mm)": 46.1, "Body Mass (g)": 4500, "Sex": "FEMALE", "Tag": "042"},
          {"Species": "Chinstrap", "Island": "Dream", "Beak Length (mm)": 46.5, "Sex": "FEMALE", "Tag": "7"}
        ]
        """;

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string LoadError(string text)
    {
        var path = _dir.Write("bad.json", text);
        return Assert.Throws<UserError>(() => JsonRecordsSource.Load(path)).Message.Replace(path, "F");
    }

    [Fact]
    public void Penguin_records_become_typed_columns_with_missing_values()
    {
        var table = JsonRecordsSource.Load(_dir.Write("penguins.json", Penguins));

        Assert.Equal(new[] { "Species", "Island", "Beak Length (mm)", "Body Mass (g)", "Sex", "Tag" }, table.Columns.Select(c => c.Name));
        Assert.Equal(4, table.RowCount);
        Assert.Equal(ColumnKind.Numeric, table["Beak Length (mm)"].Kind);
        Assert.Equal(new[] { 39.1, double.NaN, 46.1, 46.5 }, table["Beak Length (mm)"].Numbers);
        // Absent in the last record and null in the second: both missing.
        Assert.Equal(new[] { 3750, double.NaN, 4500, double.NaN }, table["Body Mass (g)"].Numbers);
        Assert.Equal(new[] { "MALE", null, "FEMALE", "FEMALE" }, table["Sex"].Labels);
        // Digits in strings stay labels: the file typed them as text.
        Assert.Equal(new[] { null, null, "042", "7" }, table["Tag"].Labels);
    }

    [Fact]
    public void Booleans_are_labels()
    {
        var table = JsonRecordsSource.Load(_dir.Write("b.json", """[{"ok": true}, {"ok": false}]"""));
        Assert.Equal(new[] { "true", "false" }, table["ok"].Labels);
    }

    [Fact]
    public void Missing_file()
    {
        var path = Path.Combine(_dir.Path, "p.json");
        Assert.Equal($"data file '{path}' not found", Assert.Throws<UserError>(() => JsonRecordsSource.Load(path)).Message);
    }

    [Fact]
    public void Mixed_numbers_and_strings_name_the_record_and_key() =>
        Assert.Equal("F: record 3, key 'mass' holds a string ('heavy') but earlier records hold numbers; a key must hold one type in every record",
            LoadError("""[{"mass": 1}, {"mass": null}, {"mass": "heavy"}]"""));

    [Fact]
    public void Invalid_json_names_the_line() =>
        Assert.Equal("F:3: invalid JSON: '}' is invalid after a property name. Expected a ':'.",
            LoadError("[\n  {\"a\": 1},\n  {\"a\"}\n]"));

    [Theory]
    [InlineData("""{"a": 1}""", "F: expected a JSON array of records like [{\"name\": value, ...}, ...] but the file holds an object")]
    [InlineData("[]", "F: the array is empty; expected at least one record")]
    [InlineData("""[{"a": 1}, 5]""", "F: record 2 is a number (5), not an object like {\"name\": value, ...}")]
    [InlineData("""[{"a": {"b": 1}}]""", "F: record 1, key 'a' holds an object; records must be flat, one number, string or null per key")]
    [InlineData("""[{"a": 1, "a": 2}]""", "F: record 1 has the key 'a' twice")]
    [InlineData("", "F: the file is empty")]
    public void Bad_shapes_are_refused(string text, string message) => Assert.Equal(message, LoadError(text));

    [Fact]
    public void A_string_over_one_MiB_is_refused_naming_the_record_and_key() =>
        Assert.Equal("F: record 2, key 'label': the string is longer than 1,048,576 characters (1 MiB), the most a value may hold",
            LoadError($"[{{\"label\": \"a\"}}, {{\"label\": \"{new string('x', (1 << 20) + 1)}\"}}]"));

    [Fact]
    public void More_than_100000_keys_are_refused()
    {
        var record = "{" + string.Join(", ", Enumerable.Range(0, 100_001).Select(i => $"\"k{i}\": 1")) + "}";
        Assert.Equal("F: record 1 brings the keys to more than 100,000, the most columns a table may have", LoadError($"[{record}]"));
    }
}
