using HpcLearn.Cluster.Slurm;
using Xunit;

namespace HpcLearn.Tests.Cluster.Preflight;

/// <summary>Slurm's duration formats, as --time takes them and scontrol prints them.</summary>
public sealed class SlurmDurationTests
{
    [Theory]
    [InlineData("30", 1800)]
    [InlineData("2:30", 150)]
    [InlineData("04:00:00", 14400)]
    [InlineData("1-12", 129600)]
    [InlineData("1-12:30", 131400)]
    [InlineData("2-00:00:05", 172805)]
    public void Reads_every_form_slurm_takes(string text, long seconds)
    {
        Assert.True(SlurmDuration.TryParse(text, out var d));
        Assert.Equal(TimeSpan.FromSeconds(seconds), d);
    }

    [Theory]
    [InlineData("UNLIMITED")]
    [InlineData("infinite")]
    public void Unlimited_is_no_limit(string text)
    {
        Assert.True(SlurmDuration.TryParse(text, out var d));
        Assert.Null(d);
    }

    [Theory]
    [InlineData("NONE")]
    [InlineData("4h")]
    [InlineData("1:2:3:4")]
    [InlineData("")]
    public void Anything_else_is_not_a_duration(string text) => Assert.False(SlurmDuration.TryParse(text, out _));

    [Fact]
    public void Formats_as_slurm_prints()
    {
        Assert.Equal("00:03:00", SlurmDuration.Format(TimeSpan.FromSeconds(180)));
        Assert.Equal("1-00:00:00", SlurmDuration.Format(TimeSpan.FromDays(1)));
    }

    [Fact]
    public void Parses_a_partition_line_of_scontrol()
    {
        var p = SlurmPartition.Parse(Slurm.FakePartitions.Line("cpu", nodes: 16, maxNodes: "8", maxTime: "2-00:00:00", defaultTime: "01:00:00"))!;
        Assert.Equal(("cpu", true, 16, 8), (p.Name, p.IsDefault, p.TotalNodes, p.MaxNodes));
        Assert.Equal((TimeSpan.FromDays(2), TimeSpan.FromHours(1)), (p.MaxTime, p.DefaultTime));
        Assert.Null(p.MaxCpusPerNode);
        Assert.Null(SlurmPartition.Parse("No partitions in the system"));
    }
}
