using HpcLearn.Cli;
using HpcLearn.Tests.Cluster;
using HpcLearn.Tests.Cluster.Slurm;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Cli;

/// <summary><c>hpclearn doctor</c>, and the same checks in <c>submit</c> before sbatch, with Slurm faked (1 node, 4 CPUs).</summary>
public sealed class CliDoctorTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private string Runs => _tmp["runs"];

    private static CliHost Host(FakeCommands commands) => new()
    {
        Environment = new Dictionary<string, string>(), Commands = commands.WithPartitions(), Hpclearn = ["hpclearn"],
    };

    [Fact]
    public void A_sane_job_is_ready_to_submit_and_the_partition_was_asked()
    {
        var config = _tmp.Write("ok.yaml", Cli.TinyYaml("ok"));
        var commands = new FakeCommands();

        var r = Cli.Run(Host(commands), "doctor", config, "--out", Runs, "--time", "01:00:00", "--cpus-per-task", "2").AssertOk();

        Assert.Equal("doctor: ready to submit\n", r.Out);
        Assert.Contains("scontrol show partition -o", commands.Calls);
        Assert.False(Directory.Exists(Runs));
    }

    [Fact]
    public void Every_problem_is_one_line_then_the_counts_and_exit_code_2()
    {
        var config = _tmp.Write("bad.yaml", Cli.TinyYaml("bad"));

        var r = Cli.Run(Host(new FakeCommands()), "doctor", config, "--out", Runs, "--time", "00:02:00", "--nodes", "2",
            "--set", "threads=4", "--set", "data={path: nope.csv, target: churn}");

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Equal("", r.Err);
        Assert.Equal(
        [
            "error: --nodes 2: partition debug has only 1 node (TotalNodes); the job could never start: ask for at most 1",
            "error: --time 00:02:00 (120 s) leaves no time to train before the 120 s checkpoint margin (cluster.margin_seconds); give at least 00:03:00 (the margin plus 60 s to start), or lower cluster.margin_seconds",
            "error: threads: 4 is more than the 1 CPU per task the job asks for (cluster.cpus_per_task not set, so Slurm gives 1); training would refuse to start (4 threads × 1 task on a node need 4 CPUs); ask for --cpus-per-task 4, or lower threads",
            $"error: data.path: 'nope.csv' not found (relative to {Directory.GetCurrentDirectory()}, where the job starts); the job would stop at once",
            "doctor: 4 problems, 0 warnings",
        ], r.Out.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Submit_with_a_time_equal_to_the_margin_exits_2_naming_the_margin_and_submits_nothing()
    {
        var config = _tmp.Write("m.yaml", Cli.TinyYaml("m"));
        var commands = new FakeCommands().On("sbatch", "12\n");

        Cli.Run(Host(commands), "submit", config, "--out", Runs, "--time", "00:02:00").AssertUserError(
            "--time 00:02:00 (120 s) leaves no time to train before the 120 s checkpoint margin (cluster.margin_seconds); " +
            "give at least 00:03:00 (the margin plus 60 s to start), or lower cluster.margin_seconds");

        Assert.DoesNotContain(commands.Calls, c => c.StartsWith("sbatch", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(Runs, "m")));
    }

    [Fact]
    public void Submit_names_how_many_more_problems_doctor_would_list()
    {
        var config = _tmp.Write("two.yaml", Cli.TinyYaml("two") + "cluster: {time: '1', nodes: 3}\n");
        Cli.Run(Host(new FakeCommands().On("sbatch", "1")), "submit", config, "--out", Runs).AssertUserError(
            "cluster.nodes 3: partition debug has only 1 node (TotalNodes); the job could never start: ask for at most 1 " +
            "(and 1 more problem: 'hpclearn doctor' with the same arguments lists them all)");
    }

    [Fact]
    public void A_sweep_is_checked_before_anything_is_written()
    {
        var config = _tmp.Write("sw.yaml", Cli.TinyYaml("sw"));
        var commands = new FakeCommands().On("sbatch", "1");
        Cli.Run(Host(commands), "sweep", config, "--out", Runs, "--grid", "seed=1,2", "--partition", "gpu")
            .AssertUserError("--partition gpu: no partition named gpu (known: debug (default))");
        Assert.False(Directory.Exists(Path.Combine(Runs, "sw-sweep")));
    }

    [Fact]
    public void Dry_run_ends_with_the_findings_as_comment_lines()
    {
        var config = _tmp.Write("d.yaml", Cli.TinyYaml("d"));

        var r = Cli.Run(Host(new FakeCommands()), "submit", config, "--out", Runs, "--time", "2", "--dry-run").AssertOk();

        Assert.StartsWith("#!/bin/bash\n", r.Out);
        Assert.EndsWith("exit \"$rc\"\n" +
            "# doctor: error: --time 2 (120 s) leaves no time to train before the 120 s checkpoint margin (cluster.margin_seconds); give at least 00:03:00 (the margin plus 60 s to start), or lower cluster.margin_seconds\n" +
            "# doctor: 1 problem, 0 warnings: submitting would refuse this job\n", r.Out);
    }

    [Fact]
    public void Warnings_go_to_stderr_after_a_successful_submission()
    {
        var config = _tmp.Write("w.yaml", Cli.TinyYaml("w") + "threads: 1\n");

        var r = Cli.Run(Host(new FakeCommands().On("sbatch", "8\n")), "submit", config, "--out", Runs, "--cpus-per-task", "2").AssertOk(allowStderr: true);

        Assert.StartsWith("submitted job 8: ", r.Out);
        Assert.Equal("warning: threads: 1 uses 1 of the 2 CPUs per task the job asks for (--cpus-per-task 2); the rest stay idle: " +
            "drop threads (threads then follow --cpus-per-task) or ask for fewer CPUs\n", r.Err);
    }

    [Fact]
    public void A_resumed_run_is_checked_against_its_measured_epoch_time()
    {
        var config = _tmp.Write("res.yaml", Cli.TinyYaml("res"));
        _tmp.Write("runs/res/config.yaml", "task: tabular\n");
        _tmp.Write("runs/res/metrics.csv", "epoch,step,train_loss,valid_loss,lr,seconds\n1,10,0.5,0.5,0.01,100.000\n2,20,0.4,0.4,0.01,500.000\n3,30,0.3,0.3,0.01,600.000\n4,40,0.3,0.3,0.01,700.000\n");

        var started = Cli.Run(Host(new FakeCommands()), "doctor", config, "--out", Runs, "--time", "10");
        Assert.Equal(2, started.ExitCode);
        Assert.StartsWith($"error: run folder '{Path.Combine(Runs, "res")}' already exists; add --resume", started.Out);

        var r = Cli.Run(Host(new FakeCommands()), "doctor", config, "--out", Runs, "--time", "10", "--resume").AssertOk();
        Assert.Equal("warning: --time 10 leaves 480 s per attempt before the 120 s checkpoint margin, less than a start and one epoch (600 s in metrics.csv): " +
            "every attempt stops mid-epoch and the run advances only through requeues; give at least 00:13:00\n" +
            "doctor: 0 problems, 1 warning; ready to submit\n", r.Out);
    }

    [Fact]
    public void A_hostile_srun_mpi_value_is_refused_before_any_script_is_written()
    {
        var config = _tmp.Write("h.yaml", Cli.TinyYaml("h"));
        Cli.Run(Host(new FakeCommands()), "doctor", config, "--out", Runs, "--set", "cluster.srun_mpi=\"pmix; touch PWNED\"")
            .AssertUserErrorStartsWith("--set cluster.srun_mpi=\"pmix; touch PWNED\": ");
    }

    [Fact]
    public void Help_says_what_doctor_checks()
    {
        var r = Cli.Run("doctor", "--help").AssertOk();
        foreach (var words in new[] { "checkpoint margin", "cluster.margin_seconds", "partition", "--nodes", "--time", "--set", "--resume" })
            Assert.Contains(words, r.Out);
    }
}
