using HpcLearn.Data;
using Xunit;

namespace HpcLearn.Tests.Data;

public sealed class CsvHeaderGuardTests
{
    private static CsvHeaderGuard Guard(string text, int maxColumns) =>
        new(new StringReader(text), "t.csv", ',', maxColumns);

    [Fact]
    public void Passes_the_text_through_unchanged_however_it_is_read()
    {
        const string text = "a,b,c\n1,2,3\n4,5,6\n";
        Assert.Equal(text, Guard(text, 3).ReadToEnd());
        using var guard = Guard(text, 3);
        var chars = new List<char>();
        for (int c; (c = guard.Read()) >= 0;) chars.Add((char)c);
        Assert.Equal(text, new string(chars.ToArray()));
    }

    [Theory]
    [InlineData("\"a,b\",c\n1,2\n")] // a delimiter inside quotes is part of a name
    [InlineData("a,b\r1,2,3,4,5\r6,7,8,9,10\r")] // old Mac line ends: the header ends at the first \r
    [InlineData("a,b\r\n1,2,3,4,5\r\n")]
    public void Only_the_header_counts_and_only_delimiters_outside_quotes(string text) =>
        Assert.Equal(text, Guard(text, 2).ReadToEnd());

    [Fact]
    public void A_header_over_the_limit_is_refused_with_its_whole_count_and_line()
    {
        var e = Assert.Throws<UserError>(() => Guard("\n\r\n  \na,b,c,d,e\n1,2,3,4,5\n", 3).ReadToEnd());
        Assert.Equal("t.csv:4: the header has 5 columns, more than the 3 a table may have; is the delimiter right (read as a comma)?", e.Message);
    }
}
