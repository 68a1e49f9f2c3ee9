using HpcLearn.Runs;
using Xunit;
using Xunit.Abstractions;

namespace HpcLearn.Tests.Cluster;

/// <summary>
/// <c>hpclearn rerun</c> of a run trained on 2 ranks: refused in one process (one line naming the
/// mpirun command), reproduced bit for bit under <c>mpirun -np 2</c>.
/// </summary>
[Collection(MpiCollection.Name)]
public sealed class MpiRerunTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hpclearn-mpi-rerun-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableFact]
    public void A_two_rank_run_reruns_on_two_ranks_bit_for_bit_or_says_mpi_is_missing()
    {
        if (MpiRun.Missing(output)) return;
        string config = Path.Combine(_dir, "ddp.yaml");
        File.WriteAllText(config, "task: tabular\nname: ddp\nthreads: 1\ndata: {builtin_rows: 600}\nmodel: {layers: [16]}\ntrain: {epochs: 2, batch_size: 32}\n");
        var trained = MpiRun.Cli(2, TimeSpan.FromMinutes(3), "train", config, "--out", Path.Combine(_dir, "runs"));
        output.WriteLine(trained.Output);
        Assert.Equal(0, trained.ExitCode);
        string run = Path.Combine(_dir, "runs", "ddp");
        Assert.Equal((2, 1), (RunInputs.TryRead(run)!.Ranks, RunInputs.TryRead(run)!.Threads));

        var alone = HpcLearn.Tests.Cli.Cli.Run("rerun", run);
        Assert.Equal(2, alone.ExitCode);
        Assert.Equal($"error: {run} was trained on 2 ranks (inputs.json); rerun it on as many: mpirun -n 2 hpclearn rerun {run} (in a Slurm job: srun -n 2 hpclearn rerun {run})\n", alone.Err);

        var rerun = MpiRun.Cli(2, TimeSpan.FromMinutes(3), "rerun", run);
        output.WriteLine(rerun.Output);
        Assert.False(rerun.TimedOut, "mpirun did not finish");
        Assert.Equal(0, rerun.ExitCode);
        Assert.Single(rerun.Output.Split('\n'), l => l.StartsWith("verdict: reproduced bit for bit: 7 metrics equal, weights identical", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(_dir, "runs", "ddp-rerun", "summary.json")));
    }
}
