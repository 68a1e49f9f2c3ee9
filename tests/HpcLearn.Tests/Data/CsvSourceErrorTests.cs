using HpcLearn.Data;
using Xunit;

namespace HpcLearn.Tests.Data;

public sealed class CsvSourceErrorTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string LoadError(string path, CsvOptions? options = null) =>
        Assert.Throws<UserError>(() => CsvSource.Load(path, options)).Message;

    [Fact]
    public void Missing_file()
    {
        var path = Path.Combine(_dir.Path, "nope.csv");
        Assert.Equal($"data file '{path}' not found", LoadError(path));
    }

    [Fact]
    public void Directory_instead_of_file() =>
        Assert.Equal($"data file '{_dir.Path}' is a directory, not a file", LoadError(_dir.Path));

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    public void Empty_file(string text)
    {
        var path = _dir.Write("e.csv", text);
        Assert.Equal($"{path}: the file is empty", LoadError(path));
    }

    [Fact]
    public void Header_without_rows()
    {
        var path = _dir.Write("h.csv", "a,b\n");
        Assert.Equal($"{path}: has a header but no data rows", LoadError(path));
    }

    [Fact]
    public void Ragged_row_names_the_line_it_starts_on()
    {
        // The quoted field spans lines 3-4, so the short row is on line 5, not record 4.
        var path = _dir.Write("r.csv", "a,b,c\n1,2,3\n\"x\ny\",2,3\n4,5\n");
        Assert.Equal($"{path}:5: row has 2 fields but the header has 3", LoadError(path));
    }

    [Fact]
    public void Mostly_numeric_column_with_a_word_is_an_error()
    {
        var rows = string.Concat(Enumerable.Range(0, 20).Select(i => i == 12 ? "abc,\"multi\nline\"\n" : $"{i},x\n"));
        var path = _dir.Write("n.csv", "age,note\n\"1\",\"q\nq\"\n" + rows);
        // Header 1, a two-line record 2-3, then row i on line 4 + i.
        Assert.Equal($"{path}:16: column 'age' is numeric but has 'abc'; fix the value, or list the column under data.categorical",
            LoadError(path));
    }

    [Fact]
    public void Mostly_numeric_column_listed_as_categorical_loads()
    {
        var rows = string.Concat(Enumerable.Range(0, 9).Select(i => $"{i}\n"));
        var path = _dir.Write("n.csv", "age\n" + rows + "abc\n");
        var table = CsvSource.Load(path, new CsvOptions { CategoricalColumns = ["age"] });
        Assert.Equal("abc", table["age"].Labels[9]);
    }

    [Fact]
    public void Forced_numeric_column_with_a_word_is_an_error()
    {
        var path = _dir.Write("f.csv", "n,m\n1,a\nx,b\n");
        Assert.Equal($"{path}:3: column 'n' is listed under data.numeric but has 'x'",
            LoadError(path, new CsvOptions { NumericColumns = ["n"] }));
    }

    [Fact]
    public void Empty_column_name()
    {
        var path = _dir.Write("h.csv", "a,,c\n1,2,3\n");
        Assert.Equal($"{path}:1: column 2 of the header has no name; give every column a name", LoadError(path));
    }

    [Fact]
    public void Duplicate_column_name()
    {
        var path = _dir.Write("h.csv", "a,b,a\n1,2,3\n");
        Assert.Equal($"{path}:1: column name 'a' appears twice in the header (columns 1 and 3); names must be unique", LoadError(path));
    }

    [Fact]
    public void Forced_column_that_the_file_lacks()
    {
        var path = _dir.Write("h.csv", "a,b\n1,2\n");
        Assert.Equal($"{path}: column 'nope' is listed under data.numeric but the file has no such column; columns are: a, b",
            LoadError(path, new CsvOptions { NumericColumns = ["nope"] }));
    }

    [Fact]
    public void Column_forced_both_ways()
    {
        var path = _dir.Write("h.csv", "a,b\n1,2\n");
        Assert.Equal("column 'a' is listed under both data.numeric and data.categorical; keep it in one",
            LoadError(path, new CsvOptions { NumericColumns = ["a"], CategoricalColumns = ["a"] }));
    }

    [Fact]
    public void Unclosed_quote_names_the_line_it_opens_on()
    {
        var path = _dir.Write("q.csv", "a,b\n1,2\n\"oops,3\n4,5\n");
        Assert.Equal($"{path}:3: a quoted field starts on this line but its closing quote is missing", LoadError(path));
    }

    [Fact]
    public void Stray_quote_in_an_unquoted_field()
    {
        var path = _dir.Write("q.csv", "a,b\n1,2\nfive\"inch,3\n");
        Assert.Equal($"{path}:3: bad quoting in 'five\"inch'; a field that holds quotes must be wrapped in quotes, with each inner quote doubled (\"\")",
            LoadError(path));
    }

    [Fact]
    public void Quote_cannot_be_the_delimiter() =>
        Assert.Equal("a quote or line break cannot be the delimiter; use ',', ';', a tab or another single character",
            Assert.Throws<UserError>(() => new CsvOptions { Delimiter = '"' }).Message);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_field_over_one_MiB_is_refused_naming_the_line(bool quoted)
    {
        // A 2 MiB value on line 3 would land in model.json as a class name.
        var big = new string('x', 2 << 20);
        var path = _dir.Write("big-cell.csv", $"a,b\n1,p\n2,{(quoted ? $"\"{big}\"" : big)}\n3,q\n");
        Assert.Equal($"{path}:3: a field in the record that starts on this line is longer than 1,048,576 characters (1 MiB), "
            + "the most a value may hold; is a quote not closed, or is this not a text table?", LoadError(path));
    }

    [Fact]
    public void A_field_of_exactly_one_MiB_is_read()
    {
        var cell = new string('x', CsvSource.MaxFieldChars);
        var path = _dir.Write("max-cell.csv", $"a,b\n1,{cell}\n2,q\n");
        Assert.Equal(cell, CsvSource.Load(path)["b"].Labels[0]);
    }

    [Fact]
    public void A_header_with_more_than_100000_columns_is_refused_before_any_row()
    {
        var header = string.Join(",", Enumerable.Range(0, 100_001).Select(i => $"c{i}"));
        var path = _dir.Write("wide.csv", header + "\n" + string.Join(",", Enumerable.Repeat("1", 100_001)) + "\n");
        Assert.Equal($"{path}:1: the header has 100,001 columns, more than the 100,000 a table may have; is the delimiter right (read as a comma)?", LoadError(path));
    }

    [Fact]
    public void A_duplicate_name_in_a_wide_header_is_found_at_once()
    {
        // Was a quadratic scan: 12 million columns took most of an hour.
        var names = Enumerable.Range(0, 100_000).Select(i => $"c{i}").ToArray();
        names[99_999] = "c5";
        var path = _dir.Write("dup.csv", string.Join(",", names) + "\n" + string.Join(",", Enumerable.Repeat("1", 100_000)) + "\n");
        Assert.Equal($"{path}:1: column name 'c5' appears twice in the header (columns 6 and 100000); names must be unique", LoadError(path));
    }

    [Fact]
    public void A_cancelled_stop_token_ends_the_load()
    {
        var path = _dir.Write("rows.csv", "a,y\n" + string.Concat(Enumerable.Range(0, 5000).Select(i => $"{i},p\n")));
        using var stop = new CancellationTokenSource();
        stop.Cancel();
        Assert.Throws<OperationCanceledException>(() => CsvSource.Load(path, null, stop.Token));
        Assert.Equal(5000, CsvSource.Load(path, null, CancellationToken.None).RowCount);
    }
}
