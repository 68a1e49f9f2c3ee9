using HpcLearn.Cli;
using HpcLearn.Cluster;
using HpcLearn.Tests.Cluster;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;

namespace HpcLearn.Tests.Cli;

/// <summary>
/// <c>train</c> under a fake Slurm (environment dictionary, fake clock, canned scontrol): the stop
/// for the deadline, the requeue and its failure, exit code 3, and the automatic resume of a
/// requeued job.
/// </summary>
public sealed class CliDeadlineTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private string Runs => _tmp["runs"];

    private static CliHost Host(FakeCommands commands, Dictionary<string, string> env, StopSignals? signals = null) => new()
    {
        Environment = env,
        Clock = new ManualClock(Now),
        Commands = commands,
        ListenForSignals = _ => signals ?? StopSignals.None(),
    };

    // A job that ends in 60 s while the margin is 120 s: the first batch already hits the deadline.
    private static Dictionary<string, string> EndingJob(params (string Key, string Value)[] more)
    {
        var env = new Dictionary<string, string>
        {
            ["SLURM_JOB_ID"] = "77",
            ["SLURM_JOB_END_TIME"] = Now.AddSeconds(60).ToUnixTimeSeconds().ToString(),
        };
        foreach (var (k, v) in more) env[k] = v;
        return env;
    }

    [Fact]
    public void Deadline_stop_checkpoints_requeues_and_exits_3_then_the_requeued_start_resumes_by_itself()
    {
        var config = _tmp.Write("d.yaml", Cli.TinyYaml("d", epochs: 3));
        var commands = new FakeCommands().On("scontrol", "");

        var r = Cli.Run(Host(commands, EndingJob()), "train", config, "--out", Runs);

        Assert.True(r.ExitCode == CliApp.Stopped, r.ToString());
        Assert.Contains("job 77 ends 2026-11-27 12:01:00 UTC; checkpoint and stop 120 s before it\n", r.Out);
        Assert.Contains("stopped: the job ends at 2026-11-27 12:01:00 UTC and only the 120 s margin is left", r.Out);
        Assert.Contains($"resume with: hpclearn train {config} --resume --out {Runs}\n", r.Out);
        Assert.Contains("requeued job 77: it resumes from this checkpoint when Slurm starts it again\n", r.Out);
        Assert.Equal(["scontrol requeue 77"], commands.Calls);
        Assert.Equal("", r.Err);
        var checkpoint = Path.Combine(Runs, "d", "checkpoints", "epoch-0000-batch-00001.ckpt");
        Assert.True(CheckpointStore.TryRead(checkpoint, out _, out _, out _, out var why), why);
        HpcLearn.Tests.Runs.StoppedRun.AssertUsableModel(Path.Combine(Runs, "d"), "tabular", "the job ends at 2026-11-27 12:01:00 UTC and only the 120 s margin is left");

        // The requeued job: same command, SLURM_RESTART_COUNT=1, and time enough.
        var env = new Dictionary<string, string> { ["SLURM_JOB_ID"] = "77", ["SLURM_RESTART_COUNT"] = "1", ["SLURM_JOB_END_TIME"] = Now.AddHours(1).ToUnixTimeSeconds().ToString() };
        var again = Cli.Run(Host(new FakeCommands(), env), "train", config, "--out", Runs).AssertOk();

        Assert.Contains($"requeued job (SLURM_RESTART_COUNT=1): resuming from the newest valid checkpoint in {Path.Combine(Runs, "d", "checkpoints")}\n", again.Out);
        Assert.Contains($"resuming from {checkpoint} (epoch 0, step 1)", again.Out);
        Assert.Equal(["1", "2", "3"], File.ReadAllLines(Path.Combine(Runs, "d", "metrics.csv")).Skip(1).Select(l => l.Split(',')[1]));
        Assert.True(File.Exists(Path.Combine(Runs, "d", "model", "model.safetensors")));
    }

    [Fact]
    public void A_failed_requeue_is_shown_with_scontrols_own_message_and_the_exit_code_stays_3()
    {
        var config = _tmp.Write("f.yaml", Cli.TinyYaml("f"));
        var commands = new FakeCommands().On("scontrol", _ => new CommandResult(1, "", "scontrol: error: Requested operation is presently disabled for job 77\n"));

        var r = Cli.Run(Host(commands, EndingJob()), "train", config, "--out", Runs);

        Assert.Equal(CliApp.Stopped, r.ExitCode);
        Assert.Equal("error: scontrol requeue 77 failed: scontrol: error: Requested operation is presently disabled for job 77\n", r.Err);
    }

    [Fact]
    public void Usr1_requeues_but_term_does_not_because_slurm_is_ending_the_job()
    {
        var far = new Dictionary<string, string> { ["SLURM_JOB_ID"] = "78", ["SLURM_JOB_END_TIME"] = Now.AddHours(1).ToUnixTimeSeconds().ToString() };
        foreach (var (signal, requeued) in new[] { ("USR1", true), ("TERM", false) })
        {
            var config = _tmp.Write($"{signal}.yaml", Cli.TinyYaml(signal));
            var signals = StopSignals.None();
            signals.Raise(signal);
            var commands = new FakeCommands().On("scontrol", "");

            var r = Cli.Run(Host(commands, far, signals), "train", config, "--out", Runs);

            Assert.True(r.ExitCode == CliApp.Stopped, r.ToString());
            Assert.Contains($"stopped: signal {signal} received", r.Out);
            Assert.Equal(requeued ? ["scontrol requeue 78"] : [], commands.Calls);
        }
    }

    [Fact]
    public void An_array_task_requeues_itself_not_the_whole_array()
    {
        // Slurm gives array task 1 its own job id (34) and the array's (33): 'scontrol requeue 33'
        // would requeue every task of the array, finished ones included.
        var config = _tmp.Write("arr.yaml", Cli.TinyYaml("arr"));
        var commands = new FakeCommands().On("scontrol", "");

        var r = Cli.Run(Host(commands, EndingJob(("SLURM_JOB_ID", "34"), ("SLURM_ARRAY_JOB_ID", "33"), ("SLURM_ARRAY_TASK_ID", "1"))), "train", config, "--out", Runs);

        Assert.True(r.ExitCode == CliApp.Stopped, r.ToString());
        Assert.Equal(["scontrol requeue 33_1"], commands.Calls);
        Assert.Contains("requeued job 33_1: it resumes from this checkpoint", r.Out);
    }

    [Theory]
    [InlineData("19", true)]
    [InlineData("20", false)]
    public void Requeues_stop_at_cluster_max_requeues(string restarts, bool requeued)
    {
        var config = _tmp.Write($"mr{restarts}.yaml", Cli.TinyYaml($"mr{restarts}"));
        var commands = new FakeCommands().On("scontrol", "");

        var r = Cli.Run(Host(commands, EndingJob(("SLURM_RESTART_COUNT", restarts))), "train", config, "--out", Runs, "--resume-if-possible");

        Assert.True(r.ExitCode == CliApp.Stopped, r.ToString());
        Assert.Equal(requeued ? ["scontrol requeue 77"] : [], commands.Calls);
        if (!requeued) Assert.Contains("job 77 is not requeued: it has been requeued 20 times and cluster.max_requeues is 20", r.Out);
    }

    [Fact]
    public void Term_says_whether_it_was_the_time_limit_or_a_cancel_or_preemption()
    {
        var config = _tmp.Write("tl.yaml", Cli.TinyYaml("tl"));
        var far = new Dictionary<string, string> { ["SLURM_JOB_ID"] = "78", ["SLURM_JOB_END_TIME"] = Now.AddHours(1).ToUnixTimeSeconds().ToString() };
        var term = StopSignals.None();
        term.Raise("TERM");
        var early = Cli.Run(Host(new FakeCommands(), far, term), "train", config, "--out", Runs);
        Assert.Contains("TERM before the job's time limit: scancel or pre-emption", early.Out);

        var config2 = _tmp.Write("tl2.yaml", Cli.TinyYaml("tl2"));
        var term2 = StopSignals.None();
        term2.Raise("TERM");
        var atLimit = Cli.Run(Host(new FakeCommands(), EndingJob(), term2), "train", config2, "--out", Runs);
        Assert.Contains("TERM at the job's time limit (2026-11-27 12:01:00 UTC): Slurm is ending the job; not requeued", atLimit.Out);
    }

    [Fact]
    public void A_used_up_time_budget_stops_with_exit_3_and_is_not_requeued()
    {
        // The budget is the user's own cap on an attempt: a requeue would only use it up again.
        var config = _tmp.Write("b.yaml", Cli.TinyYaml("b", epochs: 3).Replace("train: {epochs: 3}", "train: {epochs: 3, max_time: '00:00:03'}"));
        var far = new Dictionary<string, string> { ["SLURM_JOB_ID"] = "80", ["SLURM_JOB_END_TIME"] = Now.AddHours(1).ToUnixTimeSeconds().ToString() };
        var commands = new FakeCommands().On("scontrol", "");
        var host = Host(commands, far) with { Clock = new TickingClock(Now, TimeSpan.FromSeconds(1)) };

        var r = Cli.Run(host, "train", config, "--out", Runs);

        Assert.True(r.ExitCode == CliApp.Stopped, r.ToString());
        Assert.Contains("stopped: time budget reached (train.max_time 00:00:03)", r.Out);
        Assert.Contains("train.max_time is used up: job 80 is not requeued\n", r.Out);
        Assert.Empty(commands.Calls);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(Runs, "b", "checkpoints"), "*.ckpt"));
    }

    [Fact]
    public void Requeue_false_in_the_config_says_so_and_runs_no_scontrol()
    {
        var config = _tmp.Write("n.yaml", Cli.TinyYaml("n") + "cluster: {requeue: false}\n");
        var commands = new FakeCommands();

        var r = Cli.Run(Host(commands, EndingJob()), "train", config, "--out", Runs);

        Assert.Equal(CliApp.Stopped, r.ExitCode);
        Assert.Contains("cluster.requeue is false: job 77 is not requeued\n", r.Out);
        Assert.Empty(commands.Calls);
    }

    [Fact]
    public void Outside_slurm_a_signal_stops_with_exit_3_and_nothing_is_requeued()
    {
        var config = _tmp.Write("l.yaml", Cli.TinyYaml("l"));
        var signals = StopSignals.None();
        signals.Raise("usr1");
        var commands = new FakeCommands();

        var r = Cli.Run(Host(commands, [], signals), "train", config, "--out", Runs);

        Assert.Equal(CliApp.Stopped, r.ExitCode);
        Assert.DoesNotContain("job ", r.Out);
        Assert.Empty(commands.Calls);
    }

    [Fact]
    public void End_time_comes_from_squeue_when_slurm_does_not_export_it()
    {
        var config = _tmp.Write("q.yaml", Cli.TinyYaml("q"));
        var local = Now.ToLocalTime().AddSeconds(30).ToString("yyyy-MM-ddTHH:mm:ss");
        var commands = new FakeCommands().On("squeue", local + "\n").On("scontrol", "");

        var r = Cli.Run(Host(commands, new() { ["SLURM_JOB_ID"] = "79" }), "train", config, "--out", Runs);

        Assert.Equal(CliApp.Stopped, r.ExitCode);
        Assert.Equal(["squeue -h -j 79 -o %e", "scontrol requeue 79"], commands.Calls);
        Assert.Contains("job 79 ends 2026-11-27 12:00:30 UTC", r.Out);
    }

    [Theory]
    [InlineData("signals: [usr3]", "'cluster.signals[0]' 'usr3' is not a signal hpclearn handles; use usr1, usr2, term, int, hup, quit")]
    [InlineData("margin_seconds: -1", "'cluster.margin_seconds' must be between 0 and 65535 (Slurm's limit for --signal)")]
    [InlineData("time: 4h", "'cluster.time' '4h' is not a Slurm time; use minutes (30), HH:MM:SS (04:00:00) or D-HH:MM:SS (1-12:00:00)")]
    [InlineData("extra_sbatch: [mem=4G]", "'cluster.extra_sbatch[0]' 'mem=4G' is not an sbatch option; write it as --option=value or #SBATCH --option=value")]
    public void Bad_cluster_keys_are_one_line_errors_naming_the_key(string line, string message)
    {
        var config = _tmp.Write("c.yaml", Cli.TinyYaml("c") + $"cluster:\n  {line}\n");
        Cli.Run("train", config, "--out", Runs).AssertUserError($"{config}:7: {message}");
    }
}
