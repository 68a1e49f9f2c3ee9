using HpcLearn.Config;
using Xunit;

namespace HpcLearn.Tests.Config;

public sealed class WallTimeTests
{
    [Theory]
    [InlineData("30", 0, 0, 30, 0)]
    [InlineData("90:30", 0, 1, 30, 30)]
    [InlineData("04:00:00", 0, 4, 0, 0)]
    [InlineData(" 00:00:05 ", 0, 0, 0, 5)]
    [InlineData("1-12", 1, 12, 0, 0)]
    [InlineData("1-12:30", 1, 12, 30, 0)]
    [InlineData("2-00:00:10", 2, 0, 0, 10)]
    public void Reads_slurms_time_formats(string text, int days, int hours, int minutes, int seconds)
        => Assert.Equal(new TimeSpan(days, hours, minutes, seconds), WallTime.Parse(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("4h")]
    [InlineData("1:2:3:4")]
    [InlineData("-5")]
    [InlineData("unlimited")]
    public void Anything_else_is_not_a_time(string? text) => Assert.Null(WallTime.Parse(text));
}
