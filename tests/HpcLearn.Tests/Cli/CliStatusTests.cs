using HpcLearn.Cli;
using HpcLearn.Cluster;
using HpcLearn.Tests.Cluster;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Cli;

/// <summary><c>hpclearn status</c> on real run folders, with Slurm's answers faked.</summary>
public sealed class CliStatusTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private string Runs => _tmp["runs"];

    private static CliHost Host(FakeCommands commands) => new() { Environment = new Dictionary<string, string>(), Commands = commands };

    private string Train(string name, int epochs = 2)
    {
        var config = _tmp.Write($"{name}.yaml", Cli.TinyYaml(name, epochs));
        Cli.Run("train", config, "--out", Runs).AssertOk();
        return Path.Combine(Runs, name);
    }

    [Fact]
    public void A_running_slurm_job_shows_state_time_left_epoch_checkpoint_and_last_metrics()
    {
        var run = Train("a");
        File.Delete(Path.Combine(run, "summary.json")); // as if still training
        File.WriteAllText(Path.Combine(run, "job.id"), "4242");
        var commands = new FakeCommands().On("squeue", "RUNNING|2026-11-27T13:00:00|0:42:10\n");

        var r = Cli.Run(Host(commands), "status", run).AssertOk();

        var lines = r.Out.Split('\n');
        Assert.Equal($"run:        {run}", lines[0]);
        Assert.Equal("job:        4242 RUNNING, 0:42:10 left (ends 2026-11-27T13:00:00)", lines[1]);
        Assert.Equal("progress:   epoch 2 of 2 done", lines[2]);
        Assert.Matches(@"^checkpoint: epoch-0002\.ckpt \(step \d+, written \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)$", lines[3]);
        Assert.Matches(@"^last epoch: step \d+, train_loss [0-9.]+, valid_loss [0-9.]+, accuracy [0-9.]+, macro_f1 [0-9.]+, log_loss [0-9.]+, lr [0-9.eE+-]+, seconds [0-9.]+$", lines[4]);
        Assert.Equal(["squeue -h -j 4242 -o %T|%e|%L|%r|%K", "scontrol show job -o 4242"], commands.Calls);
    }

    [Fact]
    public void A_finished_job_comes_from_scontrol_and_the_result_from_summary_json()
    {
        var run = Train("f");
        File.WriteAllText(Path.Combine(run, "job.id"), "17");
        var commands = new FakeCommands().On("squeue", "")
            .On("scontrol", "JobId=17 JobName=f UserId=root(0) JobState=COMPLETED Reason=None EndTime=2026-11-27T12:10:00 Partition=debug\n");

        var r = Cli.Run(Host(commands), "status", run).AssertOk();

        Assert.Contains("job:        17 COMPLETED (ended 2026-11-27T12:10:00)\n", r.Out);
        Assert.Contains("progress:   finished, 2 epochs\n", r.Out);
        Assert.Matches(@"result:     accuracy [0-9.]+ \(baseline [0-9.]+\); model in .*model\n", r.Out);
    }

    [Fact]
    public void A_local_job_that_ended_and_a_run_without_checkpoints()
    {
        var run = Directory.CreateDirectory(Path.Combine(Runs, "m")).FullName;
        File.WriteAllText(Path.Combine(run, "job.pid"), "999999");
        var commands = new FakeCommands().On("kill", _ => new CommandResult(1, "", "kill: (999999) - No such process"));

        var r = Cli.Run(Host(commands), "status", run).AssertOk();

        Assert.Equal($"run:        {run}\njob:        local pid 999999, ended\nprogress:   not started (no checkpoint yet)\n", r.Out);
        Assert.Equal(["kill -0 999999"], commands.Calls);
    }

    [Fact]
    public void A_run_stopped_mid_epoch_says_how_far_into_the_epoch_it_is()
    {
        var config = _tmp.Write("d.yaml", Cli.TinyYaml("d", epochs: 3));
        var now = DateTimeOffset.UtcNow;
        var ending = new CliHost
        {
            Environment = new Dictionary<string, string> { ["SLURM_JOB_ID"] = "8", ["SLURM_JOB_END_TIME"] = now.AddSeconds(10).ToUnixTimeSeconds().ToString() },
            Clock = new ManualClock(now), Commands = new FakeCommands().On("scontrol", ""), ListenForSignals = _ => StopSignals.None(),
        };
        Assert.Equal(CliApp.Stopped, Cli.Run(ending, "train", config, "--out", Runs).ExitCode);

        var r = Cli.Run(Host(new FakeCommands()), "status", Path.Combine(Runs, "d")).AssertOk();

        Assert.Contains("progress:   epoch 0 of 3 done, 1 batches into epoch 1\n", r.Out);
        Assert.Matches(@"stopped:    .+ at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(attempt 1, exit code 3\); its checkpoint continues it\n", r.Out);
        Assert.Contains("checkpoint: epoch-0000-batch-00001.ckpt (step 1, written ", r.Out);
        Assert.DoesNotContain("result:", r.Out);
    }

    [Fact]
    public void A_job_slurm_forgot_and_a_missing_folder()
    {
        var run = Directory.CreateDirectory(Path.Combine(Runs, "g")).FullName;
        File.WriteAllText(Path.Combine(run, "job.id"), "5");
        var commands = new FakeCommands().On("squeue", "").On("scontrol", _ => new CommandResult(1, "", "slurm_load_jobs error: Invalid job id specified"));

        Assert.Contains("job:        5 (Slurm does not know it any more: finished a while ago, or squeue is not available here)\n",
            Cli.Run(Host(commands), "status", run).AssertOk().Out);
        Cli.Run(Host(commands), "status", _tmp["nope"]).AssertUserError($"run folder '{_tmp["nope"]}' does not exist");
    }

    [Fact]
    public void A_sweep_folder_shows_the_array_and_one_line_per_point()
    {
        var dir = Directory.CreateDirectory(Path.Combine(Runs, "s-sweep")).FullName;
        File.WriteAllText(Path.Combine(dir, "points.tsv"), "0\ttrain.lr=1e-3\n1\ttrain.lr=3e-3\n");
        File.WriteAllText(Path.Combine(dir, "job.id"), "31");
        Directory.CreateDirectory(Path.Combine(dir, "1"));
        var commands = new FakeCommands().On("squeue", "RUNNING|2026-11-27T13:00:00|0:10:00\nPENDING|N/A|0:20:00\n");

        var r = Cli.Run(Host(commands), "status", dir).AssertOk();

        Assert.Equal($"sweep:      {dir} (2 points)\njob:        31 1 RUNNING, 1 PENDING, 0:10:00 left (ends 2026-11-27T13:00:00)\n" +
            "    0  not started (no checkpoint yet)  [train.lr=1e-3]\n    1  not started (no checkpoint yet)  [train.lr=3e-3]\n", r.Out);
    }

    [Fact]
    public void A_pending_job_says_why_and_how_often_slurm_restarted_it()
    {
        var run = Directory.CreateDirectory(Path.Combine(Runs, "q")).FullName;
        File.WriteAllText(Path.Combine(run, "job.id"), "8");
        var commands = new FakeCommands().On("squeue", "PENDING|N/A|1:00:00|PartitionNodeLimit|N/A\n")
            .On("scontrol", "JobId=8 JobName=q JobState=PENDING Reason=PartitionNodeLimit Requeue=1 Restarts=2 ExitCode=0:0 EndTime=Unknown\n");

        var r = Cli.Run(Host(commands), "status", run).AssertOk();

        Assert.Equal($"run:        {run}\n" +
            "job:        8 PENDING (PartitionNodeLimit: it asks for more nodes than the partition allows: it will never start; " +
            "cancel it and submit with fewer --nodes (or another partition))\n" +
            "restarts:   2\n" +
            "progress:   not started (pending in Slurm)\n", r.Out);
    }

    [Fact]
    public void An_ended_job_shows_its_accounting_or_why_there_is_none()
    {
        var run = Train("acc");
        File.WriteAllText(Path.Combine(run, "job.id"), "17");
        var commands = new FakeCommands().On("squeue", "")
            .On("scontrol", "JobId=17 JobName=acc JobState=COMPLETED Reason=None Restarts=0 ExitCode=0:0 EndTime=2026-11-27T12:10:00\n")
            .On("sacct", "17|COMPLETED|00:01:02|00:00:58.120||0:0\n17.batch|COMPLETED|00:01:02|00:00:58.120|412000K|0:0\n17.extern|COMPLETED|00:01:02|00:00:00.001|1000K|0:0\n");

        var r = Cli.Run(Host(commands), "status", run).AssertOk();

        Assert.Contains("job:        17 COMPLETED (ended 2026-11-27T12:10:00)\nrestarts:   0\n" +
            "accounting: COMPLETED, elapsed 00:01:02, CPU 00:00:58.120, MaxRSS 402 MiB, exit 0:0\nprogress:   finished, 2 epochs\n", r.Out);
        Assert.Contains("sacct -j 17 -n -P -o JobID,State,Elapsed,TotalCPU,MaxRSS,ExitCode", commands.Calls);

        commands.On("sacct", _ => new CommandResult(1, "", "Slurm accounting storage is disabled\n"));
        Assert.Contains("accounting: not available (sacct: Slurm accounting storage is disabled)\n",
            Cli.Run(Host(commands), "status", run).AssertOk().Out);
    }

    [Fact]
    public void The_job_line_survives_after_slurm_forgets_the_job()
    {
        var run = Directory.CreateDirectory(Path.Combine(Runs, "k")).FullName;
        File.WriteAllText(Path.Combine(run, "job.id"), "17");
        var knows = new FakeCommands().On("squeue", "")
            .On("scontrol", "JobId=17 JobName=k JobState=FAILED Reason=NonZeroExitCode Restarts=1 ExitCode=2:0 EndTime=2026-11-27T12:10:00\n");

        var first = Cli.Run(Host(knows), "status", run).AssertOk().Out;

        Assert.Contains("job:        17 FAILED, exit code 2:0 (ended 2026-11-27T12:10:00)\nrestarts:   1\n", first);
        Assert.Contains("progress:   FAILED in Slurm, before the first checkpoint\n", first);
        Assert.True(File.Exists(Path.Combine(run, "job.state.json")));

        var forgot = new FakeCommands().On("squeue", _ => new CommandResult(1, "", "slurm_load_jobs error: Invalid job id specified"))
            .On("scontrol", _ => new CommandResult(1, "", "slurm_load_jobs error: Invalid job id specified"));
        var later = Cli.Run(Host(forgot), "status", run).AssertOk().Out;

        Assert.Matches(@"job:        17 FAILED, exit code 2:0 \(ended 2026-11-27T12:10:00\); as status saw it at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(Slurm does not know the job any more\)\nrestarts:   1\n", later);
        Assert.Contains("progress:   FAILED in Slurm, before the first checkpoint\n", later);
    }

    [Fact]
    public void Progress_comes_from_metrics_csv_when_there_is_no_valid_checkpoint()
    {
        var run = Train("m");
        File.Delete(Path.Combine(run, "summary.json"));
        Directory.Delete(Path.Combine(run, "checkpoints"), recursive: true);

        var r = Cli.Run(Host(new FakeCommands()), "status", run).AssertOk();

        Assert.Contains("progress:   epoch 2 done (metrics.csv; no valid checkpoint)\n", r.Out);
        Assert.Contains("last epoch: step ", r.Out);
        Assert.DoesNotContain("not started", r.Out);
    }

    [Fact]
    public void A_sweep_names_its_failed_points_with_why_and_how_to_rerun_them()
    {
        var dir = Directory.CreateDirectory(Path.Combine(Runs, "s-sweep")).FullName;
        File.WriteAllText(Path.Combine(dir, "points.tsv"), "0\ttrain.lr=1e-3\n1\ttrain.lr=3e-3\n2\ttrain.lr=1e-2\n3\ttrain.lr=3e-2\n");
        File.WriteAllText(Path.Combine(dir, "job.id"), "31");
        var config = _tmp.Write("p0.yaml", Cli.TinyYaml("0"));
        Cli.Run("train", config, "--out", dir).AssertOk();
        foreach (var i in new[] { "1", "2", "3" }) Directory.CreateDirectory(Path.Combine(dir, i));
        new HpcLearn.Runs.RunAttempt
        {
            Attempt = 1, Outcome = HpcLearn.Runs.RunAttempt.Failed, ExitCode = 2, Reason = "data file 'x.csv' not found", Host = "node1", JobId = "31_1",
        }.Record(Path.Combine(dir, "1"));
        var commands = new FakeCommands().On("squeue", "RUNNING|2026-11-27T13:00:00|0:10:00|None|3\n")
            .On("scontrol", "JobId=32 ArrayJobId=31 ArrayTaskId=0 JobState=COMPLETED Restarts=0 ExitCode=0:0\n" +
                "JobId=33 ArrayJobId=31 ArrayTaskId=1 JobState=FAILED Restarts=0 ExitCode=2:0\n" +
                "JobId=34 ArrayJobId=31 ArrayTaskId=2 JobState=OUT_OF_MEMORY Restarts=0 ExitCode=0:125\n" +
                "JobId=31 ArrayJobId=31 ArrayTaskId=3 JobState=RUNNING Restarts=0 ExitCode=0:0\n");

        var r = Cli.Run(Host(commands), "status", dir).AssertOk();

        Assert.Equal($"sweep:      {dir} (4 points)\n" +
            "job:        31 1 COMPLETED, 1 FAILED (point 1), 1 OUT_OF_MEMORY (point 2), 1 RUNNING, 0:10:00 left (ends 2026-11-27T13:00:00)\n" +
            "    0  finished, 2 epochs  [train.lr=1e-3]\n" +
            "    1  FAILED (exit 2), before its first checkpoint: data file 'x.csv' not found  [train.lr=3e-3]\n" +
            "    2  OUT_OF_MEMORY in Slurm, before the first checkpoint  [train.lr=1e-2]\n" +
            "    3  running, no checkpoint yet  [train.lr=3e-2]\n" +
            $"failed:     points 1, 2; rerun them: hpclearn sweep --rerun-failed {dir}\n", r.Out);
    }
}
