using HpcLearn.Tests.Cli;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;
using Xunit.Abstractions;

namespace HpcLearn.Tests.Slurm;

/// <summary>submit, sweep and scancel against a real (local) Slurm.</summary>
[Trait("Category", "slurm")]
public sealed class SlurmJobTests : IDisposable
{
    private readonly TempFolder _tmp = new();
    private readonly SlurmFixture _slurm;

    public SlurmJobTests(ITestOutputHelper output) => _slurm = new SlurmFixture(output);

    public void Dispose()
    {
        _slurm.Dispose();
        _tmp.Dispose();
    }

    private string Runs => _tmp["runs"];

    private static string JobId(CliResult r, string prefix) =>
        r.Out.Split('\n').First(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..].Split(' ', ':')[0];

    [SkippableFact]
    public void Submit_of_a_tiny_training_finishes_and_leaves_a_model_or_says_slurm_is_missing()
    {
        if (!_slurm.Available()) return;
        var config = _tmp.Write("t.yaml", Cli.Cli.TinyYaml("t"));

        var r = Cli.Cli.Run("submit", config, "--out", Runs, "--cpus-per-task", "1", "--time", "10").AssertOk();

        string id = _slurm.Track(JobId(r, "submitted job "));
        var log = Path.Combine(Runs, "t", "job.log");
        _slurm.WaitGone(id, TimeSpan.FromSeconds(120), () => SlurmFixture.Read(log));
        Assert.Equal("COMPLETED", _slurm.Field(id, "JobState"));
        var text = File.ReadAllText(log);
        Assert.Contains("threads: 1 (from SLURM_CPUS_PER_TASK)", text);
        Assert.Contains($"job {id} ends ", text);
        Assert.Contains("hpclearn exited with code 0", text);
        Assert.True(File.Exists(Path.Combine(Runs, "t", "model", "model.safetensors")), text);
        Assert.Contains($"job:        {id} COMPLETED", Cli.Cli.Run("status", Path.Combine(Runs, "t")).AssertOk().Out);
    }

    [SkippableFact]
    public void Sweep_over_two_points_gives_two_runs_and_a_ranking_or_says_slurm_is_missing()
    {
        if (!_slurm.Available()) return;
        var config = _tmp.Write("w.yaml", Cli.Cli.TinyYaml("w"));

        var r = Cli.Cli.Run("sweep", config, "--out", Runs, "--grid", "train.lr=1e-3,3e-2", "--cpus-per-task", "1").AssertOk();

        string id = _slurm.Track(JobId(r, "submitted job array "));
        var dir = Path.Combine(Runs, "w-sweep");
        _slurm.WaitGone(id, TimeSpan.FromSeconds(120), () => SlurmFixture.Read(Path.Combine(dir, "0", "job.log")) + SlurmFixture.Read(Path.Combine(dir, "1", "job.log")));
        foreach (var i in new[] { "0", "1" })
        {
            Assert.True(File.Exists(Path.Combine(dir, i, "summary.json")), SlurmFixture.Read(Path.Combine(dir, i, "job.log")));
            Assert.Contains(i == "0" ? "lr: 0.001" : "lr: 0.03", File.ReadAllText(Path.Combine(dir, i, "config.yaml")));
        }
        var report = Cli.Cli.Run("sweep-report", dir).AssertOk();
        Assert.Contains("Ranked by accuracy (higher is better)", report.Out);
        var csv = File.ReadAllLines(Path.Combine(dir, "ranking.csv"));
        Assert.Equal("rank,run,train.lr,accuracy,epochs", csv[0]);
        Assert.Equal(3, csv.Length);
        Assert.Equal(["0", "1"], csv.Skip(1).Select(l => l.Split(',')[1]).Order());
    }

    [SkippableFact]
    public void Scancel_of_a_running_job_leaves_the_newest_checkpoint_valid_or_says_slurm_is_missing()
    {
        if (!_slurm.Available()) return;
        var config = _tmp.Write("c.yaml", Cli.Cli.TinyYaml("c", epochs: 200, data: "{builtin_rows: 6000}").Replace("{epochs: 200}", "{epochs: 200, batch_size: 16}"));

        var r = Cli.Cli.Run("submit", config, "--out", Runs, "--cpus-per-task", "1").AssertOk();

        string id = _slurm.Track(JobId(r, "submitted job "));
        var store = new CheckpointStore(Path.Combine(Runs, "c", "checkpoints"));
        var log = Path.Combine(Runs, "c", "job.log");
        SlurmFixture.WaitUntil(() => store.Latest() is not null, TimeSpan.FromSeconds(120), () => SlurmFixture.Read(log));
        _slurm.Run("scancel", id);
        _slurm.WaitGone(id, TimeSpan.FromSeconds(60), () => SlurmFixture.Read(log));
        // Slurm marks the job CANCELLED at once; the script's last line comes when hpclearn has stopped.
        SlurmFixture.WaitUntil(() => SlurmFixture.Read(log).Contains("hpclearn exited with code"), TimeSpan.FromSeconds(60), () => SlurmFixture.Read(log));

        var newest = store.Latest()!;
        Assert.True(CheckpointStore.TryRead(newest.Path, out _, out _, out _, out var why), $"{newest.Path} is {why}");
        Assert.Equal("CANCELLED", _slurm.Field(id, "JobState"));
        Assert.Equal("0", _slurm.Field(id, "Restarts"));
        // TERM reached hpclearn through the script's trap: it checkpointed where it was, without requeueing.
        var text = File.ReadAllText(log);
        Assert.Contains("stopped: signal TERM received", text);
        Assert.DoesNotContain("requeued job", text);
    }
}
