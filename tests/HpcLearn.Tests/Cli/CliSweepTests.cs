using HpcLearn.Cli;
using HpcLearn.Tests.Cluster;
using HpcLearn.Tests.Cluster.Slurm;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Cli;

/// <summary><c>hpclearn sweep</c> with a fake sbatch, its errors, and <c>sweep-report</c> on made-up runs.</summary>
public sealed class CliSweepTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private string Runs => _tmp["runs"];

    private static CliHost Host(FakeCommands commands) => new()
    {
        Environment = new Dictionary<string, string>(), Commands = commands.WithPartitions(), Hpclearn = ["hpclearn"],
    };

    private static List<string> SbatchCalls(FakeCommands commands) => commands.Calls.Where(c => c.StartsWith("sbatch ", StringComparison.Ordinal)).ToList();

    [Fact]
    public void Sweep_submits_one_job_array_with_a_point_table_and_a_folder_per_point()
    {
        var config = _tmp.Write("g.yaml", Cli.TinyYaml("g"));
        var commands = new FakeCommands().On("sbatch", "900\n");

        var r = Cli.Run(Host(commands), "sweep", config, "--out", Runs, "--grid", "train.lr=1e-3,3e-3", "--grid", "model.layers=[8],[16,8]",
            "--max-parallel", "2").AssertOk();

        var dir = Path.Combine(Runs, "g-sweep");
        Assert.StartsWith($"submitted job array 900 (4 points, 0-3%2): {Path.Combine(dir, "sweep.sbatch")}\n" +
            "  0: train.lr=1e-3 model.layers=[8]\n  1: train.lr=1e-3 model.layers=[16,8]\n  2: train.lr=3e-3 model.layers=[8]\n  3: train.lr=3e-3 model.layers=[16,8]\n", r.Out);
        Assert.Contains($"rank the runs: hpclearn sweep-report {dir}\n", r.Out);
        Assert.Equal([$"sbatch --parsable {Path.Combine(dir, "sweep.sbatch")}"], SbatchCalls(commands));
        Assert.Equal("0\ttrain.lr=1e-3\tmodel.layers=[8]\n1\ttrain.lr=1e-3\tmodel.layers=[16,8]\n2\ttrain.lr=3e-3\tmodel.layers=[8]\n3\ttrain.lr=3e-3\tmodel.layers=[16,8]\n",
            File.ReadAllText(Path.Combine(dir, "points.tsv")));
        var script = File.ReadAllText(Path.Combine(dir, "sweep.sbatch"));
        Assert.Contains("#SBATCH --array=0-3%2\n", script);
        Assert.Contains($"#SBATCH --output={Path.Combine(dir, "%a", "job.log")}\n", script);
        Assert.Contains($"hpclearn train {Path.Combine(dir, "base.yaml")} --out {dir} --resume-if-possible \"${{sets[@]}}\" &", script);
        Assert.All(Enumerable.Range(0, 4), i => Assert.True(Directory.Exists(Path.Combine(dir, i.ToString()))));
        Assert.Equal("900", File.ReadAllText(Path.Combine(dir, "job.id")));
    }

    [Fact]
    public void Random_search_dry_run_prints_script_and_sampled_table_and_writes_nothing()
    {
        var config = _tmp.Write("rs.yaml", Cli.TinyYaml("rs"));
        var commands = new FakeCommands();

        var r = Cli.Run(Host(commands), "sweep", config, "--out", Runs, "--grid", "train.lr=1e-4,3e-4,1e-3,3e-3", "--grid", "seed=1,2,3",
            "--samples", "5", "--seed", "7", "--dry-run").AssertOk();

        Assert.Contains("#SBATCH --array=0-4\n", r.Out);
        var table = r.Out[(r.Out.IndexOf("# points.tsv (5 points", StringComparison.Ordinal))..].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, table.Length);
        Assert.Contains("\n# doctor: ready to submit\n", r.Out);
        Assert.Empty(SbatchCalls(commands));
        Assert.False(Directory.Exists(Runs));
    }

    [Theory]
    [InlineData(new[] { "--grid", "trian.lr=1e-3,3e-3" }, "--grid trian.lr=1e-3,3e-3: unknown key 'trian'; did you mean 'train'?")]
    [InlineData(new[] { "--grid", "train.lr=1e-3,-1" }, "--grid train.lr=1e-3,-1: 'train.lr' must be positive")]
    [InlineData(new[] { "--grid", "train.epochs=2,many" }, "--grid train.epochs=2,many: 'train.epochs' expects an integer, got 'many'")]
    [InlineData(new string[0], "sweep: the grid is empty; add at least one --grid KEY=V1,V2 (e.g. --grid train.lr=1e-3,3e-3)")]
    [InlineData(new[] { "--grid", "train.lr=" }, "--grid 'train.lr=': no values after '='; list them separated by commas (e.g. train.lr=1,2)")]
    [InlineData(new[] { "--grid", "train.lr=1,2", "--max-parallel", "0" }, "--max-parallel must be at least 1, got 0")]
    public void Bad_grids_are_one_line_errors_and_nothing_is_written_or_submitted(string[] args, string message)
    {
        var config = _tmp.Write("x.yaml", Cli.TinyYaml("x"));
        var commands = new FakeCommands().On("sbatch", "1");

        Cli.Run(Host(commands), ["sweep", config, "--out", Runs, .. args]).AssertUserError(message);

        Assert.Empty(commands.Calls);
        Assert.False(Directory.Exists(Runs));
    }

    [Fact]
    public void An_existing_sweep_folder_is_not_overwritten()
    {
        var config = _tmp.Write("o.yaml", Cli.TinyYaml("o"));
        var commands = new FakeCommands().On("sbatch", "1");
        Cli.Run(Host(commands), "sweep", config, "--out", Runs, "--grid", "seed=1,2").AssertOk();
        Cli.Run(Host(commands), "sweep", config, "--out", Runs, "--grid", "seed=1,2").AssertUserError(
            $"sweep folder '{Path.Combine(Runs, "o-sweep")}' already exists; choose another name (--set name=...) or --out DIR");
    }

    private static void Summary(string dir, string run, string metric, params (string Name, double Value)[] metrics)
    {
        Directory.CreateDirectory(Path.Combine(dir, run));
        var values = string.Join(",\n", metrics.Select(m => $"  \"{m.Name}\": {m.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
        File.WriteAllText(Path.Combine(dir, run, "summary.json"), $"{{\n  \"task\": \"tabular\",\n  \"primary_metric\": \"{metric}\",\n  \"epochs\": 5,\n{values}\n}}\n");
    }

    [Fact]
    public void Sweep_report_ranks_finished_runs_best_first_in_the_metrics_direction_and_writes_csv_and_markdown()
    {
        var dir = Directory.CreateDirectory(_tmp["acc-sweep"]).FullName;
        File.WriteAllText(Path.Combine(dir, "points.tsv"), "0\ttrain.lr=1e-3\n1\ttrain.lr=3e-3\n2\ttrain.lr=1e-2\n3\ttrain.lr=3e-2\n");
        Summary(dir, "0", "accuracy", ("accuracy", 0.81), ("log_loss", 0.4));
        Summary(dir, "1", "accuracy", ("accuracy", 0.9), ("log_loss", 0.3));
        Summary(dir, "2", "accuracy", ("accuracy", 0.85), ("log_loss", 0.35));
        Directory.CreateDirectory(Path.Combine(dir, "3"));

        var r = Cli.Run("sweep-report", dir).AssertOk();

        var expected = "Ranked by accuracy (higher is better), best first.\n\n" +
            "| rank | run | train.lr | accuracy | epochs |\n" +
            "| ---- | --- | -------- | -------- | ------ |\n" +
            "| 1    | 1   | 3e-3     | 0.9      | 5      |\n" +
            "| 2    | 2   | 1e-2     | 0.85     | 5      |\n" +
            "| 3    | 0   | 1e-3     | 0.81     | 5      |\n" +
            "\nNot finished (1): 3\n";
        Assert.StartsWith(expected, r.Out);
        Assert.Equal(expected, File.ReadAllText(Path.Combine(dir, "ranking.md")));
        Assert.Equal("rank,run,train.lr,accuracy,epochs\n1,1,3e-3,0.9,5\n2,2,1e-2,0.85,5\n3,0,1e-3,0.81,5\n",
            File.ReadAllText(Path.Combine(dir, "ranking.csv")).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Sweep_report_puts_the_lowest_error_first_for_a_lower_is_better_metric()
    {
        var dir = Directory.CreateDirectory(_tmp["reg-sweep"]).FullName;
        File.WriteAllText(Path.Combine(dir, "points.tsv"), "0\tseed=1\n1\tseed=2\n");
        Summary(dir, "0", "rmse", ("rmse", 2.5), ("r2", 0.5));
        Summary(dir, "1", "rmse", ("rmse", 1.5), ("r2", 0.7));

        var r = Cli.Run("sweep-report", dir).AssertOk();

        Assert.Contains("Ranked by rmse (lower is better)", r.Out);
        Assert.Contains("| 1    | 1   | 2    | 1.5  | 5      |", r.Out);
    }

    [Theory]
    [InlineData("ndcg_at_10", "higher", 0.21, 0.27, "0.27")]      // an implicit-feedback recommender sweep
    [InlineData("relative_l2_error", "lower", 2e-3, 9e-4, "0.0009")] // a PINN sweep
    public void Sweep_report_ranks_the_primary_metrics_of_every_task(string metric, string direction, double first, double second, string best)
    {
        var dir = Directory.CreateDirectory(_tmp[metric + "-sweep"]).FullName;
        File.WriteAllText(Path.Combine(dir, "points.tsv"), "0\tseed=1\n1\tseed=2\n");
        Summary(dir, "0", metric, (metric, first));
        Summary(dir, "1", metric, (metric, second));

        var r = Cli.Run("sweep-report", dir).AssertOk();

        Assert.Contains($"Ranked by {metric} ({direction} is better)", r.Out);
        Assert.Matches($@"\| 1 +\| 1 +\| 2 +\| {System.Text.RegularExpressions.Regex.Escape(best)} +\|", r.Out);
    }

    [Fact]
    public void Sweep_report_without_finished_runs_or_folder_is_a_clear_error()
    {
        var dir = Directory.CreateDirectory(_tmp["none-sweep"]).FullName;
        File.WriteAllText(Path.Combine(dir, "points.tsv"), "0\tseed=1\n");
        Cli.Run("sweep-report", dir).AssertUserError($"no finished run in '{dir}' yet (no <run>/summary.json); 'hpclearn status {dir}' shows how far they are");
        Cli.Run("sweep-report", _tmp["missing"]).AssertUserError($"sweep folder '{_tmp["missing"]}' does not exist");
    }

    private static void Fail(string dir, string run, string reason) =>
        new HpcLearn.Runs.RunAttempt { Attempt = 1, Outcome = HpcLearn.Runs.RunAttempt.Failed, ExitCode = 2, Reason = reason, Host = "node1" }
            .Record(Path.Combine(dir, run));

    [Fact]
    public void Sweep_report_lists_failed_points_with_why_apart_from_the_unfinished_ones()
    {
        var dir = Directory.CreateDirectory(_tmp["f-sweep"]).FullName;
        File.WriteAllText(Path.Combine(dir, "points.tsv"), "0\ttrain.lr=1e-3\n1\ttrain.lr=3e-3\n2\ttrain.lr=1e-2\n");
        Summary(dir, "0", "accuracy", ("accuracy", 0.81));
        Directory.CreateDirectory(Path.Combine(dir, "1"));
        Directory.CreateDirectory(Path.Combine(dir, "2"));
        Fail(dir, "2", "training diverged in epoch 11, step 3300 (loss = NaN, learning rate 0.01)");

        var r = Cli.Run("sweep-report", dir).AssertOk();

        Assert.Contains("| 1    | 0   | 1e-3     | 0.81     | 5      |\n" +
            "\nNot finished (1): 1\n" +
            "\nFailed (1):\n\n- 2: exit 2: training diverged in epoch 11, step 3300 (loss = NaN, learning rate 0.01)\n", r.Out);
        Assert.Contains($"rerun the failed point: hpclearn sweep --rerun-failed {dir}\n", r.Out);
        Assert.Contains("Failed (1):", File.ReadAllText(Path.Combine(dir, "ranking.md")));
        Assert.Equal(2, File.ReadAllLines(Path.Combine(dir, "ranking.csv")).Length);
    }

    [Fact]
    public void Rerun_failed_submits_a_new_array_over_the_failed_points_only()
    {
        var config = _tmp.Write("rf.yaml", Cli.TinyYaml("rf"));
        var commands = new FakeCommands().On("sbatch", "900\n");
        Cli.Run(Host(commands), "sweep", config, "--out", Runs, "--grid", "train.lr=1e-3,3e-3,1e-2,3e-2", "--max-parallel", "2").AssertOk();
        var dir = Path.Combine(Runs, "rf-sweep");
        Fail(dir, "1", "data file 'a.csv' not found");
        Fail(dir, "3", "data file 'b.csv' not found");
        // Task 2 was killed by Slurm before hpclearn could say why; task 0 is still running.
        commands.On("squeue", "RUNNING|N/A|0:05:00|None|0\n")
            .On("scontrol", "JobId=901 ArrayJobId=900 ArrayTaskId=2 JobState=TIMEOUT Restarts=0 ExitCode=0:15\n" +
                "JobId=902 ArrayJobId=900 ArrayTaskId=1 JobState=FAILED Restarts=0 ExitCode=2:0\n")
            .On("sbatch", "950\n");
        commands.Calls.Clear();

        // Not Host(): its faked 'scontrol show partition' would replace the 'scontrol show job' answer above.
        var r = Cli.Run(new CliHost { Environment = new Dictionary<string, string>(), Commands = commands, Hpclearn = ["hpclearn"] },
            "sweep", "--rerun-failed", dir).AssertOk();

        string script = Path.Combine(dir, "sweep.sbatch");
        Assert.Equal($"resubmitted 3 failed points as job array 950 (--array=1-3%2): {script}\n" +
            "  1: train.lr=3e-3  (failed: exit 2: data file 'a.csv' not found)\n" +
            "  2: train.lr=1e-2  (failed: TIMEOUT in Slurm, without a failure.json (killed before hpclearn could record why; see its job.log))\n" +
            "  3: train.lr=3e-2  (failed: exit 2: data file 'b.csv' not found)\n" +
            "each point resumes from its newest valid checkpoint in its folder, or starts again when it has none\n" +
            $"follow it: hpclearn status {dir}\n", r.Out);
        Assert.Equal($"sbatch --parsable --array=1-3%2 {script}", commands.Calls.Last());
        Assert.Equal("950", File.ReadAllText(Path.Combine(dir, "job.id")));
        Assert.Equal(["900\t0-3%2", "950\t1-3%2"], File.ReadAllLines(Path.Combine(dir, "job.arrays")));
    }

    [Fact]
    public void Rerun_failed_without_failed_points_submits_nothing_and_its_mistakes_are_one_line()
    {
        var dir = Directory.CreateDirectory(_tmp["ok-sweep"]).FullName;
        File.WriteAllText(Path.Combine(dir, "points.tsv"), "0\tseed=1\n1\tseed=2\n");
        File.WriteAllText(Path.Combine(dir, "sweep.sbatch"), "#!/bin/bash\n#SBATCH --array=0-1\n");
        Summary(dir, "0", "accuracy", ("accuracy", 0.8));
        Directory.CreateDirectory(Path.Combine(dir, "1"));
        var commands = new FakeCommands().On("sbatch", "1");

        Assert.Equal($"no failed points in {dir}: nothing to rerun ('hpclearn status {dir}' shows each point)\n",
            Cli.Run(Host(commands), "sweep", "--rerun-failed", dir).AssertOk().Out);
        Fail(dir, "1", "boom");
        Assert.StartsWith($"would resubmit 1 failed point: sbatch --array=1 {Path.Combine(dir, "sweep.sbatch")}\n",
            Cli.Run(Host(commands), "sweep", "--rerun-failed", dir, "--dry-run").AssertOk().Out);
        Assert.DoesNotContain(commands.Calls, c => c.StartsWith("sbatch", StringComparison.Ordinal));

        var config = _tmp.Write("x.yaml", Cli.TinyYaml("x"));
        Cli.Run(Host(commands), "sweep", config, "--rerun-failed", dir).AssertUserError(
            "--rerun-failed takes the sweep folder alone: the points, config and job script are the sweep's own; give no config or --grid");
        Cli.Run(Host(commands), "sweep", "--rerun-failed", _tmp.Path).AssertUserError(
            $"--rerun-failed: '{_tmp.Path}' is not a sweep folder (it has no points.tsv and sweep.sbatch); give the folder 'hpclearn sweep' made (runs/<name>-sweep)");
        Cli.Run(Host(commands), "sweep").AssertUserError("sweep: give a config file (hpclearn sweep CONFIG --grid KEY=V1,V2), or --rerun-failed SWEEP_DIR");
    }
}
