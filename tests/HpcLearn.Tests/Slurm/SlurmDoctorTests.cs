using HpcLearn.Cluster.Slurm;
using HpcLearn.Tests.Cli;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;
using Xunit.Abstractions;

namespace HpcLearn.Tests.Slurm;

/// <summary><c>hpclearn doctor</c> against a real (local) Slurm's default partition; nothing is submitted.</summary>
[Trait("Category", "slurm")]
public sealed class SlurmDoctorTests : IDisposable
{
    private readonly TempFolder _tmp = new();
    private readonly SlurmFixture _slurm;

    public SlurmDoctorTests(ITestOutputHelper output) => _slurm = new SlurmFixture(output);

    public void Dispose()
    {
        _slurm.Dispose();
        _tmp.Dispose();
    }

    private SlurmPartition DefaultPartition() =>
        _slurm.Run("scontrol", "show", "partition", "-o").Split('\n').Select(SlurmPartition.Parse).OfType<SlurmPartition>().Single(p => p.IsDefault);

    [SkippableFact]
    public void More_nodes_than_the_partition_has_are_refused_naming_its_node_count()
    {
        if (!_slurm.Available()) return;
        var partition = DefaultPartition();
        int nodes = partition.TotalNodes!.Value;
        var config = _tmp.Write("n.yaml", Cli.Cli.TinyYaml("n"));

        var r = Cli.Cli.Run("doctor", config, "--out", _tmp["runs"], "--nodes", (nodes + 1).ToString(), "--time", "10");

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains($"error: --nodes {nodes + 1}: partition {partition.Name} has only {nodes} node{(nodes == 1 ? "" : "s")} (TotalNodes); " +
            $"the job could never start: ask for at most {nodes}\n", r.Out);
        Assert.EndsWith("doctor: 1 problem, 0 warnings\n", r.Out);
    }

    [SkippableFact]
    public void A_job_the_partition_can_run_is_ready_to_submit()
    {
        if (!_slurm.Available()) return;
        var config = _tmp.Write("ok.yaml", Cli.Cli.TinyYaml("ok"));

        var r = Cli.Cli.Run("doctor", config, "--out", _tmp["runs"], "--cpus-per-task", "1", "--time", "10").AssertOk();

        Assert.Equal("doctor: ready to submit\n", r.Out);
    }

    [SkippableFact]
    public void More_cpus_per_task_than_the_largest_node_has_are_refused()
    {
        if (!_slurm.Available()) return;
        var partition = DefaultPartition();
        var config = _tmp.Write("c.yaml", Cli.Cli.TinyYaml("c"));
        int cpus = _slurm.Run("sinfo", "-h", "-N", "-p", partition.Name, "-o", "%c").Split('\n', StringSplitOptions.RemoveEmptyEntries).Max(int.Parse) + 1;

        var r = Cli.Cli.Run("doctor", config, "--out", _tmp["runs"], "--cpus-per-task", cpus.ToString(), "--time", "10");

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains($"--cpus-per-task {cpus} = {cpus} CPUs per node, but partition {partition.Name}'s largest node has", r.Out);
    }
}
