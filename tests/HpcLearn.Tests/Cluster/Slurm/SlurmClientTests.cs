using HpcLearn.Cluster;
using HpcLearn.Cluster.Slurm;
using Xunit;

namespace HpcLearn.Tests.Cluster.Slurm;

/// <summary>How <see cref="SlurmClient"/> reads squeue, scontrol and sacct, and array index lists.</summary>
public sealed class SlurmClientTests
{
    [Theory]
    [InlineData("0-3%2", new[] { 0, 1, 2, 3 })]
    [InlineData("3,7", new[] { 3, 7 })]
    [InlineData("[4-6]", new[] { 4, 5, 6 })]
    [InlineData("1-7:3", new[] { 1, 4, 7 })]
    [InlineData("5", new[] { 5 })]
    [InlineData("N/A", new int[0])]
    [InlineData("3-1", new int[0])]
    public void Array_index_lists_read_as_slurm_writes_them(string spec, int[] indices) =>
        Assert.Equal(indices, SlurmArray.Indices(spec));

    [Fact]
    public void Array_index_lists_fold_runs_into_ranges() =>
        Assert.Equal("1-3,7,9,10", SlurmArray.Format([9, 2, 1, 3, 7, 10, 2]));

    [Fact]
    public void An_array_with_a_pending_range_gives_each_task_its_state_and_the_reason()
    {
        var commands = new FakeCommands()
            .On("squeue", "PENDING|N/A|1:00:00|JobArrayTaskLimit|4-6%2\nRUNNING|2026-11-27T13:00:00|0:30:00|None|3\n")
            .On("scontrol", "JobId=41 ArrayJobId=40 ArrayTaskId=2 JobState=FAILED Restarts=1 ExitCode=2:0\n" +
                "JobId=43 ArrayJobId=40 ArrayTaskId=3 JobState=RUNNING Restarts=0 ExitCode=0:0\n" +
                "JobId=40 ArrayJobId=40 ArrayTaskId=4-6%2 JobState=PENDING Reason=JobArrayTaskLimit Restarts=0\n");

        var state = new SlurmClient(commands).Query("40")!;

        Assert.Equal(new Dictionary<int, string> { [2] = "FAILED", [3] = "RUNNING", [4] = "PENDING", [5] = "PENDING", [6] = "PENDING" }, state.Tasks);
        Assert.Equal("1 FAILED, 1 RUNNING, 3 PENDING", state.Summary);
        Assert.Equal("JobArrayTaskLimit", state.Reason);
        Assert.Equal(1, state.Restarts);
        Assert.Equal("0:30:00", state.TimeLeft);
        Assert.True(state.InQueue);
        Assert.Null(state.ExitCode);
    }

    [Fact]
    public void Sacct_of_an_array_sums_cpu_and_takes_the_longest_task_and_largest_memory()
    {
        var commands = new FakeCommands().On("sacct",
            "40_0|COMPLETED|00:02:00|00:01:30.500||0:0\n40_0.batch|COMPLETED|00:02:00|00:01:30.500|2G|0:0\n" +
            "40_1|FAILED|00:00:05|00:00:04||2:0\n40_1.batch|FAILED|00:00:05|00:00:04|100M|2:0\n");

        Assert.Equal("2 tasks (1 COMPLETED, 1 FAILED), longest elapsed 00:02:00, CPU 00:01:35 in all, MaxRSS 2.0 GiB (largest)",
            new SlurmClient(commands).Accounting("40"));
    }

    [Fact]
    public void Without_sacct_or_accounting_the_line_says_why()
    {
        Assert.Equal("not available (sacct: not installed here)", new SlurmClient(new FakeCommands()).Accounting("1"));
        var disabled = new FakeCommands().On("sacct", _ => new CommandResult(1, "", "Slurm accounting storage is disabled\n"));
        Assert.Equal("not available (sacct: Slurm accounting storage is disabled)", new SlurmClient(disabled).Accounting("1"));
    }

    [Fact]
    public void Submit_passes_options_before_the_script()
    {
        var commands = new FakeCommands().On("sbatch", "77\n");
        Assert.Equal("77", new SlurmClient(commands).Submit("/s/sweep.sbatch", ["--array=1,3"]));
        Assert.Equal(["sbatch --parsable --array=1,3 /s/sweep.sbatch"], commands.Calls);
    }
}
