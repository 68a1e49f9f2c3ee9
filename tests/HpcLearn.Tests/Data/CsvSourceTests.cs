using HpcLearn.Data;
using Xunit;

namespace HpcLearn.Tests.Data;

public sealed class CsvSourceTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Quoted_fields_keep_commas_quotes_and_newlines()
    {
        var path = _dir.Write("q.csv", "id,text\n1,\"a, b\"\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\n");

        var table = CsvSource.Load(path);

        Assert.Equal(3, table.RowCount);
        Assert.Equal(new[] { 1.0, 2, 3 }, table["id"].Numbers);
        Assert.Equal(new[] { "a, b", "say \"hi\"", "two\nlines" }, table["text"].Labels);
        Assert.Equal(path, table.Source);
    }

    [Theory]
    [InlineData(';')]
    [InlineData('\t')]
    public void Delimiter_is_detected_from_the_header(char delimiter)
    {
        var d = delimiter.ToString();
        // The decimal commas in the data must not sway the detection: only the header is looked at.
        var path = _dir.Write("d.csv", $"name{d}score{d}note\nann{d}1.5{d}\"x,y\"\nbob{d}2{d}z,w\n");

        var table = CsvSource.Load(path);

        Assert.Equal(new[] { "name", "score", "note" }, table.Columns.Select(c => c.Name));
        Assert.Equal(new[] { 1.5, 2 }, table["score"].Numbers);
        Assert.Equal(new[] { "x,y", "z,w" }, table["note"].Labels);
    }

    [Fact]
    public void Explicit_delimiter_overrides_detection()
    {
        var path = _dir.Write("p.csv", "a|b,c\n1|x,y\n");

        var table = CsvSource.Load(path, new CsvOptions { Delimiter = '|' });

        Assert.Equal(new[] { "a", "b,c" }, table.Columns.Select(c => c.Name));
    }

    [Fact]
    public void Types_are_inferred_and_missing_tokens_read_as_missing()
    {
        var path = _dir.Write("t.csv",
            "age,city,zip,empty\r\n" +
            "31, Oslo ,0150,\r\n" +
            "NA,?,0151,NA\r\n" +
            "-4.5e1,Bergen,N/A,\r\n" +
            "nan,NULL,5003,None\r\n");

        var table = CsvSource.Load(path);

        Assert.Equal(ColumnKind.Numeric, table["age"].Kind);
        Assert.Equal(31, table["age"].Numbers[0]);
        Assert.True(double.IsNaN(table["age"].Numbers[1]));
        Assert.Equal(-45, table["age"].Numbers[2]);
        Assert.Equal(2, table["age"].MissingCount);
        Assert.Equal(new[] { "Oslo", null, "Bergen", null }, table["city"].Labels);
        Assert.Equal(ColumnKind.Numeric, table["zip"].Kind);
        Assert.Equal(ColumnKind.Categorical, table["empty"].Kind);
        Assert.Equal(4, table["empty"].MissingCount);
    }

    [Fact]
    public void Forced_types_override_inference()
    {
        var path = _dir.Write("f.csv", "zip,code,n\n0150,7,1\n0151,8,NA\n");
        var options = new CsvOptions { CategoricalColumns = ["zip", "code"], NumericColumns = ["n"] };

        var table = CsvSource.Load(path, options);

        Assert.Equal(new[] { "0150", "0151" }, table["zip"].Labels);
        Assert.Equal(new[] { "7", "8" }, table["code"].Labels);
        Assert.Equal(ColumnKind.Numeric, table["n"].Kind);
        Assert.True(double.IsNaN(table["n"].Numbers[1]));
    }

    [Fact]
    public void Custom_missing_tokens_replace_the_defaults()
    {
        var path = _dir.Write("m.csv", "x,y\n-999,NA\n2,b\n");

        var table = CsvSource.Load(path, new CsvOptions { MissingTokens = ["-999"] });

        Assert.True(double.IsNaN(table["x"].Numbers[0]));
        Assert.Equal(new[] { "NA", "b" }, table["y"].Labels);
    }

    [Fact]
    public void A_column_with_few_numbers_is_categorical()
    {
        // 1 of 4 values is a number: that is a label column, not a broken numeric one.
        var path = _dir.Write("c.csv", "size\nsmall\n3\nlarge\nmedium\n");

        Assert.Equal(new[] { "small", "3", "large", "medium" }, CsvSource.Load(path)["size"].Labels);
    }

    [Fact]
    public void Byte_order_mark_and_blank_lines_are_ignored()
    {
        var path = _dir.Write("b.csv", "\uFEFFa,b\n1,2\n\n3,4\n\n");

        var table = CsvSource.Load(path);

        Assert.Equal("a", table.Columns[0].Name);
        Assert.Equal(new[] { 1.0, 3 }, table["a"].Numbers);
    }
}
