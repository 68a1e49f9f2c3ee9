using System.Text.Json;
using HpcLearn.Cli;
using HpcLearn.Cluster;
using HpcLearn.Tests.Cli;
using HpcLearn.Tests.Cluster;
using CliRunner = HpcLearn.Tests.Cli.Cli;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;

namespace HpcLearn.Tests.Tasks.Pde;

/// <summary>The pde task through the command line: train a config, predict from a CSV of points.</summary>
[Collection("torch-rng")]
public sealed class PdeCliTests
{
    [Fact]
    public void Train_then_predict_through_the_cli()
    {
        using var dir = new TempFolder();
        string yaml = dir.Write("poisson.yaml", """
            task: pde
            name: poisson
            pde:
              equation: poisson
              boundary_points: 20
              collocation_points: 100
              adam_iterations: 10
              lbfgs_iterations: 30
            model:
              layers: [8]
              float64: true
            """);
        var train = CliRunner.Run("train", yaml, "--out", dir["runs"]).AssertOk(allowStderr: true);
        Assert.Contains("relative L2 error", train.Out);
        var r = CliRunner.Run("predict", dir["runs/poisson/model"], dir.Write("p.csv", "x,y\n0.5,0.5\n0,0.25\n")).AssertOk(allowStderr: true);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal("x,y,u", lines[0]);
        Assert.StartsWith("0.5,0.5,", lines[1]);
        Assert.StartsWith("0,0.25,", lines[2]);
        CliRunner.Run("predict", dir["runs/poisson/model"], dir.Write("q.csv", "x,t\n0,0\n"))
            .AssertUserError($"{dir["q.csv"]}: no column 'y'; this model needs the columns x,y");
    }

    [Fact]
    public void A_train_key_the_pde_task_does_not_read_exits_2_naming_it_and_what_to_set()
    {
        using var dir = new TempFolder();
        string heat = Path.Combine(RepoPaths.Root, "examples", "heat.yaml");
        CliRunner.Run("train", heat, "--set", "train.lr=0.5", "--out", dir["runs"]).AssertUserError(
            "--set train.lr=0.5: 'train.lr' is not used by the pde task, which trains with Adam then L-BFGS on all its points at every step; set pde.adam_learning_rate instead");
        CliRunner.Run("train", dir.Write("e.yaml", Yaml("e") + "\ntrain: {epochs: 5}\n"), "--out", dir["runs"]).AssertUserErrorStartsWith(
            $"{dir["e.yaml"]}:13: 'train.epochs' is not used by the pde task");
        Assert.False(Directory.Exists(dir["runs"]));   // refused before anything is written
    }

    private static string Yaml(string name) => $"""
        task: pde
        name: {name}
        pde:
          equation: heat
          boundary_points: 10
          collocation_points: 60
          adam_iterations: 15
          lbfgs_iterations: 20
          checkpoint_every: 10
        model:
          layers: [8]
          float64: true
        """;

    private static double Error(string runDir) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, "summary.json"))).RootElement.GetProperty("relative_l2_error").GetDouble();

    [Fact]
    public void A_signal_checkpoints_and_requeues_and_the_requeued_job_ends_as_the_uninterrupted_run()
    {
        using var dir = new TempFolder();
        var now = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
        CliHost Host(Dictionary<string, string> env, StopSignals signals, FakeCommands commands) => new()
        {
            Environment = env, Clock = new ManualClock(now), Commands = commands, ListenForSignals = _ => signals,
        };
        var job = new Dictionary<string, string> { ["SLURM_JOB_ID"] = "91", ["SLURM_JOB_END_TIME"] = now.AddHours(1).ToUnixTimeSeconds().ToString() };
        CliRunner.Run("train", dir.Write("straight.yaml", Yaml("straight")), "--out", dir["runs"]).AssertOk(allowStderr: true);

        string config = dir.Write("stopped.yaml", Yaml("stopped"));
        var usr1 = StopSignals.None();
        usr1.Raise("USR1");
        var commands = new FakeCommands().On("scontrol", "");
        var first = CliRunner.Run(Host(job, usr1, commands), "train", config, "--out", dir["runs"]);

        Assert.True(first.ExitCode == CliApp.Stopped, first.ToString());
        string checkpoint = Path.Combine(dir["runs"], "stopped", "checkpoints", "step-000001.ckpt");
        Assert.Contains($"stopped: signal USR1 received; checkpoint: {checkpoint} (Adam 1 of 15, L-BFGS 0 of 20 iterations)", first.Out);
        Assert.Equal(["scontrol requeue 91"], commands.Calls);
        // Unfinished but usable: the weights so far predict, and summary.json says the run was interrupted.
        HpcLearn.Tests.Runs.StoppedRun.AssertUsableModel(Path.Combine(dir["runs"], "stopped"), HpcLearn.Tasks.Pde.PdeTask.Name, "signal USR1 received");
        Assert.Equal(2, new HpcLearn.Tasks.Pde.PdeTask().Predict(Path.Combine(dir["runs"], "stopped", "model"), dir.Write("points.csv", "x,t\n0,0.5\n0.5,0.25\n"), TextWriter.Null));

        var requeued = new Dictionary<string, string>(job) { ["SLURM_RESTART_COUNT"] = "1" };
        var again = CliRunner.Run(Host(requeued, StopSignals.None(), new FakeCommands()), "train", config, "--out", dir["runs"]).AssertOk(allowStderr: true);

        Assert.Contains($"resuming from {checkpoint} (Adam 1, L-BFGS 0 iterations done)", again.Out);
        Assert.Equal(Error(Path.Combine(dir["runs"], "straight")), Error(Path.Combine(dir["runs"], "stopped")));
        Assert.Equal(File.ReadAllLines(Path.Combine(dir["runs"], "straight", "metrics.csv")), File.ReadAllLines(Path.Combine(dir["runs"], "stopped", "metrics.csv")));
        // One every 10 iterations of either phase (Adam 10, L-BFGS 10 = step 25) and the end state (35); the newest 3 kept.
        Assert.Equal(["step-000010.ckpt", "step-000025.ckpt", "step-000035.ckpt"],
            Directory.GetFiles(Path.Combine(dir["runs"], "stopped", "checkpoints")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Resuming_with_another_network_is_refused_before_anything_loads()
    {
        using var dir = new TempFolder();
        var usr1 = StopSignals.None();
        usr1.Raise("TERM");
        string config = dir.Write("a.yaml", Yaml("a"));
        var stopped = CliRunner.Run(new CliHost { ListenForSignals = _ => usr1 }, "train", config, "--out", dir["runs"]);
        Assert.True(stopped.ExitCode == CliApp.Stopped, stopped.ToString());
        string wider = dir.Write("a2.yaml", Yaml("a").Replace("layers: [8]", "layers: [16]"));
        CliRunner.Run("train", wider, "--resume", "--out", dir["runs"]).AssertUserError(
            $"--resume: {Path.Combine(dir["runs"], "a", "checkpoints", "step-000001.ckpt")} was written for heat with layers [2, 8, 1] tanh float64, 60 collocation and 10 boundary points, seed 42, " +
            "but the config gives heat with layers [2, 16, 1] tanh float64, 60 collocation and 10 boundary points, seed 42; resume with the config the run was started with, or give the run a new name");
    }

    [Fact]
    public void A_corrupt_newest_checkpoint_falls_back_to_the_one_before_with_one_warning_and_the_run_finishes()
    {
        using var dir = new TempFolder();
        string config = dir.Write("c.yaml", Yaml("c"));
        CliRunner.Run("train", config, "--out", dir["runs"]).AssertOk(allowStderr: true);
        string run = Path.Combine(dir["runs"], "c"), checkpoints = Path.Combine(run, "checkpoints");
        double straight = Error(run);
        string newest = Path.Combine(checkpoints, "step-000035.ckpt");
        byte[] bytes = File.ReadAllBytes(newest);
        bytes[^10] ^= 0x40;
        File.WriteAllBytes(newest, bytes);

        var r = CliRunner.Run("train", config, "--resume", "--out", dir["runs"]).AssertOk(allowStderr: true);

        Assert.Equal([$"warning: checkpoint {newest} is corrupted or truncated (checksum mismatch); falling back to step-000025.ckpt"],
            r.Out.Split('\n').Where(l => l.StartsWith("warning:", StringComparison.Ordinal)));
        Assert.Contains($"resuming from {Path.Combine(checkpoints, "step-000025.ckpt")} (Adam 15, L-BFGS 10 iterations done)", r.Out);
        Assert.True(CheckpointProbe.Problem(newest) is null, "the end state replaced the corrupt file");
        Assert.Equal(straight, Error(run));
    }

    [Fact]
    public void Resuming_a_run_without_a_valid_checkpoint_says_to_start_again()
    {
        using var dir = new TempFolder();
        string config = dir.Write("b.yaml", Yaml("b"));
        CliRunner.Run("train", config, "--out", dir["runs"]).AssertOk(allowStderr: true);
        string checkpoints = Path.Combine(dir["runs"], "b", "checkpoints");
        foreach (var f in Directory.GetFiles(checkpoints)) File.WriteAllText(f, "cut short");
        var r = CliRunner.Run("train", config, "--resume", "--out", dir["runs"]);
        r.AssertUserError(RunFolder.NoValidCheckpoint(checkpoints).Message);
        Assert.Contains("use --resume-if-possible instead of --resume", r.Err);
        Assert.Contains("is not an HpcLearn checkpoint or truncated; no older valid checkpoint to fall back to", r.Out); // refused before the task loads anything
    }
}
