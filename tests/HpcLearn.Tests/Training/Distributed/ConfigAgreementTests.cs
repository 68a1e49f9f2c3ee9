using HpcLearn.Tests.Cluster;
using Xunit;
using Xunit.Abstractions;

using HpcLearn.Runs;

namespace HpcLearn.Tests.Training.Distributed;

/// <summary>
/// <c>hpclearn train</c> under a real mpirun with different settings on the two ranks: every rank
/// stops at start-up with exit code 2 and one line naming the keys, instead of hanging (another
/// train.epochs), failing with a trace (another model.layers) or training in silence (another seed).
/// </summary>
[Trait("Category", "mpi")]
[Collection(MpiCollection.Name)]
public sealed class ConfigAgreementTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hpclearn-mpi-agree-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Config()
    {
        string path = Path.Combine(_dir, "ddp.yaml");
        File.WriteAllText(path, "task: tabular\nname: ddp\ndata: {builtin_rows: 1200}\nmodel: {layers: [32]}\ntrain: {epochs: 1, batch_size: 32}\n");
        return path;
    }

    [SkippableTheory]
    [InlineData("train.epochs=5", "train.epochs (1 vs 5)")]
    [InlineData("seed=7", "seed (42 vs 7)")]
    [InlineData("model.layers=[64]", "model.layers ([32] vs [64])")]
    public void Ranks_with_different_settings_all_exit_2_naming_the_key_or_says_mpi_is_missing(string set, string named)
    {
        if (MpiRun.Missing(output)) return;
        string config = Config(), runs = Path.Combine(_dir, "runs");

        var r = MpiRun.CliPerRank(TimeSpan.FromMinutes(2),
            ["train", config, "--out", runs], ["train", config, "--out", runs, "--set", set]);
        output.WriteLine(r.Output);

        Assert.False(r.TimedOut, "mpirun did not finish: a rank is waiting for the other");
        var lines = r.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        // Every rank decides to exit 2 with the same line; mpirun may end the second before it prints
        // (it kills the job once one rank exits non-zero), so at least one says so and none says otherwise.
        var exits = lines.Where(l => l.StartsWith("rank exit code", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(exits);
        Assert.All(exits, e => Assert.Equal("rank exit code 2", e));
        Assert.NotEqual(0, r.ExitCode);
        string expected = $"error: the ranks were started with different settings: rank 1 differs from rank 0 in {named} (rank 0 vs rank 1); " +
            "start every rank with the same config file and --set overrides (only device, threads, cluster may differ)";
        var errors = lines.Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Equal(expected, e));
        Assert.DoesNotContain("   at ", r.Output);
        Assert.False(Directory.Exists(runs), "nothing may be written when the ranks disagree");
    }

    [SkippableFact]
    public void Ranks_may_differ_in_threads_and_cluster_settings_or_says_mpi_is_missing()
    {
        if (MpiRun.Missing(output)) return;
        string config = Config(), runs = Path.Combine(_dir, "runs");

        var r = MpiRun.CliPerRank(TimeSpan.FromMinutes(3),
            ["train", config, "--out", runs], ["train", config, "--out", runs, "--set", "threads=1", "--set", "cluster.margin_seconds=60"]);
        output.WriteLine(r.Output);

        Assert.False(r.TimedOut, "mpirun did not finish");
        Assert.Equal(2, r.Output.Split('\n').Count(l => l.TrimEnd('\r') == "rank exit code 0"));
        Assert.True(File.Exists(Path.Combine(runs, "ddp", "summary.json")), r.Output);
    }
}
