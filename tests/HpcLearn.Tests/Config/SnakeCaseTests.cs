using HpcLearn.Config;
using Xunit;

namespace HpcLearn.Tests.Config;

public class SnakeCaseTests
{
    [Theory]
    [InlineData("BatchSize", "batch_size")]
    [InlineData("Lr", "lr")]
    [InlineData("EarlyStoppingPatience", "early_stopping_patience")]
    [InlineData("HTTPServer", "http_server")]
    [InlineData("Conv2D", "conv2d")]
    [InlineData("OneCycle", "one_cycle")]
    public void From_PascalCase_GivesSnakeCase(string name, string expected) =>
        Assert.Equal(expected, SnakeCase.From(name));
}
