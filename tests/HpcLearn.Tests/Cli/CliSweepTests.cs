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
}
