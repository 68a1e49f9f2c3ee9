using HpcLearn.Data;
using Xunit;

namespace HpcLearn.Tests.Data;

public sealed class TableSourceTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Csv_and_tsv_go_to_the_csv_reader()
    {
        Assert.Equal(2, TableSource.Load(_dir.Write("a.CSV", "x,y\n1,2\n")).Columns.Count);
        // A .tsv is read with tabs even when its header also holds commas.
        var tsv = TableSource.Load(_dir.Write("a.tsv", "x,1\ty,2\tz\n1\t2\t3\n"));
        Assert.Equal(new[] { "x,1", "y,2", "z" }, tsv.Columns.Select(c => c.Name));
    }

    [Fact]
    public void Json_goes_to_the_records_reader_and_honours_forced_types()
    {
        var path = _dir.Write("a.json", """[{"code": 7, "n": "1.5"}, {"code": 8, "n": null}]""");
        var options = new CsvOptions { CategoricalColumns = ["code"], NumericColumns = ["n"] };

        var table = TableSource.Load(path, options);

        Assert.Equal(new[] { "7", "8" }, table["code"].Labels);
        Assert.Equal(new[] { 1.5, double.NaN }, table["n"].Numbers);
    }

    [Fact]
    public void Json_forced_numeric_with_a_word_names_the_record()
    {
        var path = _dir.Write("a.json", """[{"n": "1"}, {"n": "many"}]""");
        var error = Assert.Throws<UserError>(() => TableSource.Load(path, new CsvOptions { NumericColumns = ["n"] }));
        Assert.Equal($"{path}: column 'n' is listed under data.numeric but record 2 has 'many'", error.Message);
    }

    [Theory]
    [InlineData("data.parquet", "the unsupported extension '.parquet'")]
    [InlineData("data", "no extension")]
    public void Unsupported_format_lists_the_supported_ones(string name, string what)
    {
        var path = _dir.Write(name, "x");
        var error = Assert.Throws<UserError>(() => TableSource.Load(path));
        Assert.Equal($"data file '{path}' has {what}; supported: .csv, .tsv, .txt (delimited text with a header line) and .json (an array of records)",
            error.Message);
    }

    [Fact]
    public void Missing_file_is_reported_before_the_format()
    {
        var path = Path.Combine(_dir.Path, "gone.parquet");
        Assert.Equal($"data file '{path}' not found", Assert.Throws<UserError>(() => TableSource.Load(path)).Message);
    }
}
