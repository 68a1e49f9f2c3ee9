using HpcLearn.Tests.Cli;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;
using Xunit.Abstractions;

namespace HpcLearn.Tests.Slurm;

/// <summary>
/// The deadline path on a real Slurm, made deterministic with <c>scancel --batch --signal=USR1</c>
/// (what <c>--signal=B:USR1@margin</c> sends, without waiting for Slurm's 30 s ticks): the job
/// checkpoints mid-epoch, requeues itself, resumes on its own and ends with the very weights of
/// an uninterrupted job with the same seed and one thread.
/// </summary>
[Trait("Category", "slurm")]
public sealed class SlurmRequeueTests : IDisposable
{
    private readonly TempFolder _tmp = new();
    private readonly SlurmFixture _slurm;

    public SlurmRequeueTests(ITestOutputHelper output) => _slurm = new SlurmFixture(output);

    public void Dispose()
    {
        _slurm.Dispose();
        _tmp.Dispose();
    }

    [Fact]
    public void Usr1_checkpoints_requeues_and_ends_with_the_weights_of_an_uninterrupted_run_or_says_slurm_is_missing()
    {
        if (!_slurm.Available()) return;
        var runs = _tmp["runs"];
        var config = _tmp.Write("q.yaml", Cli.Cli.TinyYaml("q", epochs: 6, data: "{builtin_rows: 6000}").Replace("{epochs: 6}", "{epochs: 6, batch_size: 16}"));
        string Submit(string name) => _slurm.Track(Cli.Cli.Run("submit", config, "--out", runs, "--cpus-per-task", "1", "--set", $"name={name}")
            .AssertOk().Out.Split('\n')[0]["submitted job ".Length..].Split(':')[0]);
        string interrupted = Submit("interrupted");
        string reference = Submit("reference");
        var log = Path.Combine(runs, "interrupted", "job.log");

        SlurmFixture.WaitUntil(() => SlurmFixture.Read(log).Contains("epoch 1/6"), TimeSpan.FromSeconds(120), () => SlurmFixture.Read(log));
        _slurm.Run("scancel", "--batch", "--signal=USR1", interrupted);
        _slurm.WaitGone(interrupted, TimeSpan.FromSeconds(150), () => SlurmFixture.Read(log));
        _slurm.WaitGone(reference, TimeSpan.FromSeconds(60), () => SlurmFixture.Read(Path.Combine(runs, "reference", "job.log")));

        var text = File.ReadAllText(log);
        Assert.Contains("stopped: signal USR1 received", text);
        Assert.Contains($"requeued job {interrupted}: it resumes from this checkpoint when Slurm starts it again", text);
        Assert.Contains("requeued job (SLURM_RESTART_COUNT=1): resuming from the newest valid checkpoint", text);
        Assert.Matches(@"resuming from .*epoch-0001-batch-\d{5}\.ckpt", text);
        Assert.Equal("1", _slurm.Field(interrupted, "Restarts"));
        Assert.Equal("COMPLETED", _slurm.Field(interrupted, "JobState"));
        // One continuous history: epochs 1..6, each once.
        Assert.Equal(["1", "2", "3", "4", "5", "6"], File.ReadAllLines(Path.Combine(runs, "interrupted", "metrics.csv")).Skip(1).Select(l => l.Split(',')[0]));
        Assert.Equal(File.ReadAllBytes(Path.Combine(runs, "reference", "model", "model.safetensors")),
            File.ReadAllBytes(Path.Combine(runs, "interrupted", "model", "model.safetensors")));
    }
}
