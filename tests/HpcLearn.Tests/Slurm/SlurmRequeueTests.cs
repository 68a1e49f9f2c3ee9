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

    [SkippableFact]
    public void Usr1_checkpoints_requeues_and_ends_with_the_weights_of_an_uninterrupted_run_or_says_slurm_is_missing()
    {
        if (!_slurm.Available()) return;
        var runs = _tmp["runs"];
        // 100 epochs of about 0.1 s: long enough that the signal lands inside the run, not after it,
        // even when the test runner polls late on a loaded machine.
        var config = _tmp.Write("q.yaml", Cli.Cli.TinyYaml("q", epochs: 100, data: "{builtin_rows: 6000}").Replace("{epochs: 100}", "{epochs: 100, batch_size: 16}"));
        string Submit(string name) => _slurm.Track(Cli.Cli.Run("submit", config, "--out", runs, "--cpus-per-task", "1", "--set", $"name={name}")
            .AssertOk().Out.Split('\n')[0]["submitted job ".Length..].Split(':')[0]);
        string interrupted = Submit("interrupted");
        string reference = Submit("reference");
        var log = Path.Combine(runs, "interrupted", "job.log");

        SlurmFixture.WaitUntil(() => SlurmFixture.Read(log).Contains("epoch 1/100"), TimeSpan.FromSeconds(120), () => SlurmFixture.Read(log));
        _slurm.Run("scancel", "--batch", "--signal=USR1", interrupted);
        _slurm.WaitGone(interrupted, TimeSpan.FromSeconds(150), () => SlurmFixture.Read(log));
        _slurm.WaitGone(reference, TimeSpan.FromSeconds(60), () => SlurmFixture.Read(Path.Combine(runs, "reference", "job.log")));

        var text = File.ReadAllText(log);
        Assert.Contains("stopped: signal USR1 received", text);
        Assert.Contains($"requeued job {interrupted}: it resumes from this checkpoint when Slurm starts it again", text);
        // The TERM Slurm sends to the job it requeues does not turn the documented 3 into 143.
        Assert.Matches(@"hpclearn exited with code 3 at [^\n]*\n(.|\n)*hpclearn exited with code 0 at ", text);
        Assert.Contains("requeued job (SLURM_RESTART_COUNT=1): resuming from the newest valid checkpoint", text);
        // Mid-epoch as a rule; at an epoch's end when the signal came while it validated.
        Assert.Matches(@"resuming from .*epoch-\d{4}(-batch-\d{5})?\.ckpt", text);
        Assert.Equal("1", _slurm.Field(interrupted, "Restarts"));
        Assert.Equal("COMPLETED", _slurm.Field(interrupted, "JobState"));
        // One continuous history: epochs 1..100, each once.
        Assert.Equal(Enumerable.Range(1, 100).Select(e => e.ToString(System.Globalization.CultureInfo.InvariantCulture)), File.ReadAllLines(Path.Combine(runs, "interrupted", "metrics.csv")).Skip(1).Select(l => l.Split(',')[1]));
        Assert.Equal(File.ReadAllBytes(Path.Combine(runs, "reference", "model", "model.safetensors")),
            File.ReadAllBytes(Path.Combine(runs, "interrupted", "model", "model.safetensors")));
    }

    [SkippableFact]
    public void A_signalled_array_task_requeues_itself_and_leaves_finished_tasks_alone_or_says_slurm_is_missing()
    {
        // Array task 1 carries the array's job id in SLURM_JOB_ID; 'scontrol requeue' of that id
        // requeued every task, so finished task 0 ran again and rewrote its model.
        if (!_slurm.Available()) return;
        var runs = _tmp["runs"];
        // Point 0 (300 rows) ends in seconds; point 1 (60,000 rows) runs long enough to be signalled.
        var config = _tmp.Write("a.yaml", Cli.Cli.TinyYaml("arr", epochs: 30, data: "{builtin_rows: 6000}").Replace("{epochs: 30}", "{epochs: 30, batch_size: 16}"));
        var r = Cli.Cli.Run("sweep", config, "--out", runs, "--cpus-per-task", "1", "--grid", "data.builtin_rows=300,60000").AssertOk();
        string array = _slurm.Track(r.Out.Split('\n')[0]["submitted job array ".Length..].Split(' ')[0]);
        string sweep = Path.Combine(runs, "arr-sweep");
        string log0 = Path.Combine(sweep, "0", "job.log"), log1 = Path.Combine(sweep, "1", "job.log");

        SlurmFixture.WaitUntil(() => SlurmFixture.Read(log0).Contains("hpclearn exited with code"), TimeSpan.FromSeconds(120), () => SlurmFixture.Read(log0));
        _slurm.WaitGone($"{array}_0", TimeSpan.FromSeconds(60), () => SlurmFixture.Read(log0));
        Assert.True(File.Exists(Path.Combine(sweep, "0", "summary.json")), SlurmFixture.Read(log0));
        var finished = TempFolder.Snapshot(Path.Combine(sweep, "0", "model"));
        var finishedAt = File.GetLastWriteTimeUtc(Path.Combine(sweep, "0", "summary.json"));
        SlurmFixture.WaitUntil(() => SlurmFixture.Read(log1).Contains("epoch 1/30"), TimeSpan.FromSeconds(120), () => SlurmFixture.Read(log1));
        Assert.DoesNotContain("hpclearn exited", SlurmFixture.Read(log1));

        _slurm.Run("scancel", "--batch", "--signal=USR1", $"{array}_1");
        _slurm.WaitGone(array, TimeSpan.FromSeconds(180), () => SlurmFixture.Read(log1));

        string text1 = File.ReadAllText(log1);
        Assert.Contains($"requeued job {array}_1: it resumes from this checkpoint", text1);
        Assert.Contains("hpclearn exited with code 3 at ", text1);
        Assert.Contains("hpclearn exited with code 0 at ", text1);
        Assert.True(File.Exists(Path.Combine(sweep, "1", "summary.json")), text1);
        // Task 0 ran once: its log has one exit line, its model and summary are the ones it wrote.
        Assert.Single(File.ReadAllLines(log0), l => l.StartsWith("hpclearn exited with code", StringComparison.Ordinal));
        Assert.Equal(finished, TempFolder.Snapshot(Path.Combine(sweep, "0", "model")));
        Assert.Equal(finishedAt, File.GetLastWriteTimeUtc(Path.Combine(sweep, "0", "summary.json")));
    }

    [SkippableFact]
    public void The_job_script_follows_cluster_signals_usr2_checkpoints_and_requeues_or_says_slurm_is_missing()
    {
        if (!_slurm.Available()) return;
        var runs = _tmp["runs"];
        var config = _tmp.Write("u2.yaml", Cli.Cli.TinyYaml("u2", epochs: 100, data: "{builtin_rows: 6000}").Replace("{epochs: 100}", "{epochs: 100, batch_size: 16}")
            + "cluster: {signals: [usr2, term]}\n");
        var r = Cli.Cli.Run("submit", config, "--out", runs, "--cpus-per-task", "1").AssertOk();
        string job = _slurm.Track(r.Out.Split('\n')[0]["submitted job ".Length..].Split(':')[0]);
        var log = Path.Combine(runs, "u2", "job.log");
        Assert.Contains("#SBATCH --signal=B:USR2@120\n", File.ReadAllText(Path.Combine(runs, "u2", "job.sbatch")));

        SlurmFixture.WaitUntil(() => SlurmFixture.Read(log).Contains("epoch 1/100"), TimeSpan.FromSeconds(120), () => SlurmFixture.Read(log));
        _slurm.Run("scancel", "--batch", "--signal=USR2", job);
        _slurm.WaitGone(job, TimeSpan.FromSeconds(150), () => SlurmFixture.Read(log));

        var text = File.ReadAllText(log);
        Assert.Contains("stopped: signal USR2 received", text);
        Assert.Contains($"requeued job {job}: it resumes from this checkpoint", text);
        Assert.Contains("hpclearn exited with code 0 at ", text);
        Assert.Equal("COMPLETED", _slurm.Field(job, "JobState"));
    }
}
