using HpcLearn.Cluster;
using Xunit;

namespace HpcLearn.Tests.Cluster;

public sealed class SlurmTaskListTests
{
    [Theory]
    [InlineData("4", 0, 4)]
    [InlineData("2(x3),1", 0, 2)]
    [InlineData("2(x3),1", 2, 2)]
    [InlineData("2(x3),1", 3, 1)]
    [InlineData("1,3,2", 1, 3)]
    public void Counts_the_tasks_on_a_node(string list, int node, int expected)
        => Assert.Equal(expected, SlurmTaskList.OnNode(list, node));

    [Theory]
    [InlineData("2(x3),1", 4)]
    [InlineData("2(3)", 0)]
    [InlineData("two", 0)]
    [InlineData("", 0)]
    [InlineData(null, 0)]
    public void Unknown_when_malformed_or_too_short(string? list, int node)
        => Assert.Null(SlurmTaskList.OnNode(list, node));
}
