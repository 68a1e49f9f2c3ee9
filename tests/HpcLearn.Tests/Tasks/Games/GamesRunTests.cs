using HpcLearn.Config;
using HpcLearn.Tasks.Games;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;
using TorchSharp;
using Xunit;

namespace HpcLearn.Tests.Tasks.Games;

[Collection(TorchGlobalStateCollection.Name)] // seeds libtorch's global RNG
public sealed class GamesRunTests : IDisposable
{
    private readonly OneTorchThread _threads = new();

    public void Dispose() => _threads.Dispose();

    private static GamesConfig Tiny(int iterations, string name = "ttt") => new()
    {
        Name = name,
        Game = TicTacToe.GameName,
        Model = new GameNetOptions { Channels = 8, Blocks = 1, ValueHidden = 8 },
        Selfplay = new SelfPlayOptions
        {
            Iterations = iterations, GamesPerIteration = 8, GamesInFlight = 4, Simulations = 8, ParallelLeaves = 2,
            StepsPerIteration = 5, EvalGames = 2, FinalGames = 2, JudgePositions = 10, AgentSimulations = 8, ReplaySize = 500,
        },
        FinalOpponents = ["random", "solver"],
        Train = new TrainOptions { BatchSize = 16, Optimizer = OptimizerKind.Adam, WeightDecay = 1e-4 },
    };

    private static RunContext Context(string root, bool resume = false) => new() { Out = TextWriter.Null, RunsRoot = root, Resume = resume };

    [Fact]
    public void A_run_writes_a_model_that_loads_and_a_resumed_run_continues_its_checkpoint()
    {
        using var tmp = new TempFolder();
        var summary = GamesRun.Train(Tiny(1), Context(tmp.Path));
        Assert.True(summary.Metrics.ContainsKey("judge_optimal"));
        Assert.InRange(summary.Baseline["judge_optimal"], 0.0, 0.99); // random play is not perfect on informative positions
        string run = Path.Combine(tmp.Path, "ttt");
        Assert.True(File.Exists(Path.Combine(run, "summary.json")));
        Assert.Equal("tic_tac_toe", ModelArtifact.LoadManifest(Path.Combine(run, "model"), "games").Details["game"]!.GetValue<string>());
        Assert.Single(GamesCheckpoint.List(Path.Combine(run, "checkpoints")));
        using (var model = GameModel.Load(Path.Combine(run, "model")))
        {
            Assert.Same(TicTacToe.Instance, model.Game);
            Assert.Equal(8, model.Net.Options.Channels);
            int move = model.Player("m", 0).ChooseMove(TicTacToe.Instance.Initial());
            Assert.InRange(move, 0, 8);
        }

        var log = new StringWriter();
        GamesRun.Train(Tiny(2), Context(tmp.Path, resume: true) with { Out = log });
        Assert.Contains("resuming from", log.ToString());
        Assert.DoesNotContain("iteration 1/2", log.ToString());
        Assert.Contains("iteration 2/2", log.ToString());
        Assert.Equal(3, File.ReadAllLines(Path.Combine(run, "metrics.csv")).Length); // header + 2 iterations

        var wrongShape = Tiny(3) with { Model = new GameNetOptions { Channels = 16, Blocks = 1, ValueHidden = 8 } };
        var e = Assert.Throws<UserError>(() => GamesRun.Train(wrongShape, Context(tmp.Path, resume: true)));
        Assert.Contains("holds a network of 8 channels × 1 blocks, value head 8 but the config's model: section asks for 16 channels", e.Message);
        var wrongHeads = Tiny(3) with { Model = Tiny(3).Model with { ValueChannels = 4 } };
        e = Assert.Throws<UserError>(() => GamesRun.Train(wrongHeads, Context(tmp.Path, resume: true)));
        Assert.Contains("holds a network of 8 channels × 1 blocks, value head 8 but the config's model: section asks for 8 channels × 1 blocks, heads of 2 (policy) and 4 (value) channels, value head 8", e.Message);
        var wrongGame = Tiny(3) with { Game = ConnectFour.GameName };
        e = Assert.Throws<UserError>(() => GamesRun.Train(wrongGame, Context(tmp.Path, resume: true)));
        Assert.Contains("was written for game 'tic_tac_toe' but the config says game: connect_four", e.Message);
    }

    [Fact]
    public void A_cosine_schedule_anneals_the_learning_rate_over_the_iterations_and_records_it()
    {
        Assert.Equal(1.0, SelfPlayOptions.LrFactor("constant", 0.7));
        Assert.Equal(1.0, SelfPlayOptions.LrFactor("cosine", 0), 12);
        Assert.Equal(0.525, SelfPlayOptions.LrFactor("cosine", 0.5), 12);
        Assert.Equal(0.05, SelfPlayOptions.LrFactor("cosine", 1), 12);
        Assert.Equal(0.05, SelfPlayOptions.LrFactor("cosine", 1.5), 12);   // past the budget: the floor
        Assert.Contains(("lr_schedule", "must be constant or cosine, not 'linear'"), new SelfPlayOptions { LrSchedule = "linear" }.Validate());

        using var tmp = new TempFolder();
        var config = Tiny(4) with { Selfplay = Tiny(4).Selfplay with { LrSchedule = "cosine" }, Train = Tiny(4).Train with { LearningRate = 0.01 } };
        GamesRun.Train(config, Context(tmp.Path));
        var rows = File.ReadAllLines(Path.Combine(tmp.Path, "ttt", "metrics.csv"));
        int column = Array.IndexOf(rows[0].Split(','), "lr");
        var lrs = rows.Skip(1).Select(r => double.Parse(r.Split(',')[column], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        // Iteration i trains at progress (i − 1) / 4 (no time budget).
        double[] expected = [0, 0.25, 0.5, 0.75];
        Assert.Equal(expected.Select(p => 0.01 * (0.05 + 0.95 * 0.5 * (1 + Math.Cos(Math.PI * p)))), lrs, (a, b) => Math.Abs(a - b) <= 1e-5 * a);   // metrics.csv keeps 6 significant digits
    }

    [Fact]
    public void Overlapped_self_play_is_deterministic_starts_as_the_plain_loop_does_and_is_refused_under_mpi()
    {
        using var tmp = new TempFolder();
        var plain = Tiny(4);
        var overlap = plain with { Selfplay = plain.Selfplay with { Overlap = true } };
        var log = new StringWriter();
        GamesRun.Train(plain with { Name = "plain" }, Context(tmp.Path));
        GamesRun.Train(overlap with { Name = "a" }, Context(tmp.Path) with { Out = log });
        GamesRun.Train(overlap with { Name = "b" }, Context(tmp.Path));
        Assert.Contains("overlap: each iteration's self-play runs beside the last iteration's training", log.ToString());
        string[] Rows(string name) => File.ReadAllLines(Path.Combine(tmp.Path, name, "metrics.csv"));
        string[] Played(string row) => row.Split(',')[1..4];   // positions, first-player wins, draws
        // The same network (the initial one) and the same seed play iteration 1 in both loops; later
        // iterations differ, since overlapped self-play is one network behind.
        Assert.Equal(5, Rows("a").Length);
        Assert.Equal(Played(Rows("plain")[1]), Played(Rows("a")[1]));
        // Whatever the threads' timing, a run repeats: every column but the seconds.
        string Fixed(string row) => string.Join(',', row.Split(',').Where((_, i) => !Rows("a")[0].Split(',')[i].Contains("second")));
        Assert.Equal(Rows("a").Select(Fixed), Rows("b").Select(Fixed));

        var mpi = Context(tmp.Path) with { Communicator = new HpcLearn.Tests.Training.Distributed.FakeCommunicator(0, 2) };
        var e = Assert.Throws<UserError>(() => GamesRun.Train(overlap with { Name = "mpi" }, mpi));
        Assert.StartsWith("selfplay.overlap: true runs self-play beside training in one process, but 2 MPI ranks were started; set selfplay.overlap: false", e.Message);
        Assert.False(Directory.Exists(Path.Combine(tmp.Path, "mpi")));
    }

    [Fact]
    public void A_stop_with_overlapped_self_play_in_flight_ends_it_and_keeps_the_checkpoint()
    {
        using var tmp = new TempFolder();
        var stop = new RunStop { EndTime = DateTimeOffset.UtcNow.AddSeconds(30), Margin = TimeSpan.FromSeconds(60) };
        var config = Tiny(3) with { Selfplay = Tiny(3).Selfplay with { Overlap = true } };
        var summary = GamesRun.Train(config, Context(tmp.Path) with { Stop = stop });
        Assert.True(summary.Interrupted);
        Assert.Equal(1, summary.Epochs);
        Assert.Single(GamesCheckpoint.List(Path.Combine(tmp.Path, "ttt", "checkpoints")));
        // Resumed, the run plays iteration 2 afresh with the checkpoint's best network and finishes.
        var log = new StringWriter();
        var resumed = GamesRun.Train(config, Context(tmp.Path, resume: true) with { Out = log });
        Assert.False(resumed.Interrupted);
        Assert.Contains("iteration 3/3", log.ToString());
    }

    [Theory]
    [InlineData("flip", "corrupted or truncated (checksum mismatch)")]
    [InlineData("stub", "not an HpcLearn checkpoint or truncated")]
    public void A_damaged_newest_checkpoint_falls_back_to_the_one_before_with_one_warning_and_the_run_finishes(string damage, string why)
    {
        using var tmp = new TempFolder();
        GamesRun.Train(Tiny(2), Context(tmp.Path));
        string run = Path.Combine(tmp.Path, "ttt"), checkpoints = Path.Combine(run, "checkpoints");
        string newest = Path.Combine(checkpoints, "iter-0002.ckpt");
        Assert.Equal([newest, Path.Combine(checkpoints, "iter-0001.ckpt")], GamesCheckpoint.List(checkpoints));
        byte[] good = File.ReadAllBytes(newest);
        File.WriteAllBytes(newest, damage == "flip" ? [.. good[..^1], (byte)(good[^1] ^ 1)] : good[..6]);
        File.Delete(Path.Combine(run, "summary.json"));

        var log = new StringWriter();
        var summary = GamesRun.Train(Tiny(3), Context(tmp.Path, resume: true) with { Out = log });

        string output = log.ToString();
        Assert.Equal([$"warning: checkpoint {newest} is {why}; falling back to iter-0001.ckpt"],
            output.Split('\n').Where(l => l.StartsWith("warning:", StringComparison.Ordinal)));
        Assert.Contains($"resuming from {Path.Combine(checkpoints, "iter-0001.ckpt")} (iteration 1,", output);
        Assert.Contains("iteration 2/3", output);
        Assert.Contains("iteration 3/3", output);
        Assert.False(summary.Interrupted);
        Assert.True(File.Exists(Path.Combine(run, "summary.json")));
        Assert.True(GamesCheckpoint.Latest(checkpoints, _ => Assert.Fail("no damaged file is left")) is { Meta.Iteration: 3 });
    }

    [Fact]
    public void A_stop_request_ends_the_run_after_its_checkpoint_with_the_best_network_as_a_usable_model()
    {
        using var tmp = new TempFolder();
        // As under the CLI: its stop token says the job's end is within the margin, so the run
        // stops after the first iteration's checkpoint and the cause is recorded for the requeue.
        var stop = new RunStop { EndTime = DateTimeOffset.UtcNow.AddSeconds(30), Margin = TimeSpan.FromSeconds(60) };
        var summary = new GamesTask().Train(Tiny(3), Context(tmp.Path) with { Stop = stop });
        Assert.True(summary.Interrupted);
        Assert.Equal(StopCause.Deadline, stop.Cause);
        Assert.StartsWith("the job ends at ", summary.StopReason);
        Assert.Equal(1, summary.Epochs);
        string run = Path.Combine(tmp.Path, "ttt");
        Assert.Single(GamesCheckpoint.List(Path.Combine(run, "checkpoints")));
        // Not final, but usable: the best network so far plays, and summary.json says the run was interrupted.
        HpcLearn.Tests.Runs.StoppedRun.AssertUsableModel(run, GamesTask.Name, summary.StopReason!);
        var output = new StringWriter();
        Assert.Equal(2, new GamesTask().Predict(Path.Combine(run, "model"), tmp.Write("positions.txt", "5\n5 1\n"), output));
        Assert.Equal(3, output.ToString().Trim().Split('\n').Length);
    }

    [Fact]
    public void Training_fits_a_fixed_buffer()
    {
        // One thread, as the games run. Its 8 channels are what oneDNN's AVX-512 kernels computed
        // wrong on a 2-core AMD EPYC (Zen 4) and turned to NaN; the test process holds oneDNN to AVX2
        // (TestStartup), the product decides per network (ConvolutionCheck; docs/install.md).
        using var oneThread = new OneTorchThread();
        torch.manual_seed(1);
        using var net = new PolicyValueNet(TicTacToe.Instance, new GameNetOptions { Channels = 8, Blocks = 1, ValueHidden = 8 });
        var buffer = new ReplayBuffer(TicTacToe.Instance, 100);
        var rng = new Random(2);
        // Targets: from each position the solver's optimal moves (uniformly) and its outcome.
        var solver = new TicTacToeSolver();
        foreach (var p in Judge.Sample(TicTacToe.Instance, solver, 20, 1, 6, seed: 3))
        {
            var planes = new float[27]; p.State.Encode(planes);
            var pi = new float[9]; foreach (int a in p.Optimal) pi[a] = 1f / p.Optimal.Length;
            buffer.Add(new TrainingExample(planes, pi, solver.Outcome(p.State)));
        }
        using var trainer = new NetTrainer(net, new TrainOptions { BatchSize = 32, LearningRate = 0.01, Optimizer = OptimizerKind.Adam, WeightDecay = 0 });
        var first = trainer.Fit(buffer, 5, rng);
        trainer.Fit(buffer, 150, rng);
        var last = trainer.Fit(buffer, 5, rng);
        Assert.True(last.Policy < first.Policy * 0.7, $"policy loss {first.Policy} → {last.Policy}");
        Assert.True(last.Value < first.Value * 0.5, $"value loss {first.Value} → {last.Value}");
    }

    [Fact]
    public void Value_only_examples_leave_the_policy_loss_the_mean_over_the_examples_with_a_policy()
    {
        using var oneThread = new OneTorchThread();
        // One position (the empty board: every symmetry maps it to itself), uniform policy target;
        // the same position without a policy target does not dilute the policy loss of a batch.
        var planes = new float[27];
        TicTacToe.Instance.Initial().Encode(planes);
        var uniform = Enumerable.Repeat(1f / 9, 9).ToArray();
        (double Policy, double Value) FirstStep(bool valueOnly)
        {
            torch.manual_seed(5);
            using var net = new PolicyValueNet(TicTacToe.Instance, new GameNetOptions { Channels = 8, Blocks = 1, ValueHidden = 8 });
            var buffer = new ReplayBuffer(TicTacToe.Instance, 10);
            buffer.Add(new TrainingExample(planes, uniform, 0f));
            if (valueOnly) buffer.Add(new TrainingExample(planes, new float[9], 0f));
            using var trainer = new NetTrainer(net, new TrainOptions { BatchSize = 16, LearningRate = 0.01, Optimizer = OptimizerKind.Adam, WeightDecay = 0 });
            return trainer.Fit(buffer, 1, new Random(3));
        }
        var alone = FirstStep(false);
        var mixed = FirstStep(true);
        Assert.True(alone.Policy > 2.0, $"policy loss {alone.Policy}"); // about ln 9 for an untrained network
        Assert.Equal(alone.Policy, mixed.Policy, 5);
        Assert.Equal(alone.Value, mixed.Value, 5);
        Assert.Equal(2, NetTrainer.RowsWithPolicy([0, 0, 1, 0, 0.5f, 0.5f, 0, 0], 2));
    }

    [Fact]
    public void A_model_of_another_task_is_refused()
    {
        using var tmp = new TempFolder();
        string dir = tmp["model"];
        using var lin = torch.nn.Linear(2, 2);
        ModelArtifact.Save(dir, lin, new ModelManifest { Task = "tabular" });
        var e = Assert.Throws<UserError>(() => GameModel.Load(dir));
        Assert.Contains("made by the 'tabular' task, not 'games'", e.Message);
    }

    [Fact]
    public void The_config_binds_from_yaml_and_names_a_bad_game()
    {
        using var tmp = new TempFolder();
        string path = tmp.Write("c.yaml", "task: games\ngame: chess\n");
        var e = Assert.Throws<UserError>(() => ConfigLoader.Load(path, [], n => n == "games" ? typeof(GamesConfig) : null, ["games"]));
        Assert.Contains("unknown game 'chess'; known games: tic_tac_toe, connect_four", e.Message);
        path = tmp.Write("ok.yaml", "task: games\ngame: connect_four\nselfplay:\n  simulations: 7\nfinal_opponents: [random, \"mcts:50\"]\n");
        var cfg = (GamesConfig)ConfigLoader.Load(path, [], n => n == "games" ? typeof(GamesConfig) : null, ["games"]);
        Assert.Equal(7, cfg.Selfplay.Simulations);
        Assert.Equal(["random", "mcts:50"], cfg.FinalOpponents);
        // Connect Four's lines cannot be enumerated: its default promotion is the arena.
        Assert.False(cfg.Selfplay.PromotesByExhaustive(ConnectFour.Instance));
        Assert.True(cfg.Selfplay.PromotesByExhaustive(TicTacToe.Instance));
    }

    [Theory]
    [InlineData("game: connect_four\nselfplay: {promotion: exhaustive}", "exhaustive needs a game small enough to enumerate every line (tic-tac-toe), not connect_four; use arena or leave it out")]
    [InlineData("selfplay: {promotion: solver}", "must be arena or exhaustive, or left out (got 'solver')")]
    [InlineData("selfplay: {solver_policy_mix: 1.5}", "must be in [0, 1], e.g. 0.5")]
    public void Exhaustive_promotion_is_refused_where_it_cannot_work(string yaml, string message)
    {
        using var tmp = new TempFolder();
        string path = tmp.Write("c.yaml", "task: games\n" + yaml + "\n");
        var e = Assert.Throws<UserError>(() => ConfigLoader.Load(path, [], n => n == "games" ? typeof(GamesConfig) : null, ["games"]));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Exhaustive_promotion_keeps_a_best_network_that_loses_fewer_lines()
    {
        // An untrained network loses lines; it is judged once and replaced only by one no worse.
        TorchSharp.torch.random.manual_seed(5);
        var options = new GameNetOptions { Channels = 4, Blocks = 1, ValueHidden = 4 };
        using var a = new PolicyValueNet(TicTacToe.Instance, options);
        using var b = new PolicyValueNet(TicTacToe.Instance, options);
        a.eval(); b.eval();
        var gate = new ExhaustivePromotion(TicTacToe.Instance, new MctsOptions { Simulations = 4 });
        var ra = gate.Judge(a);
        var rb = gate.Judge(b);
        Assert.True(ra.Losses > 0 && rb.Losses > 0 && ra.Losses != rb.Losses, $"{ra.Losses} vs {rb.Losses}");
        var (better, worse) = ra.Losses < rb.Losses ? (a, b) : (b, a);
        var (promote, candidate, before) = gate.Decide(worse, better);
        Assert.False(promote);
        Assert.Equal(Math.Max(ra.Losses, rb.Losses), candidate.Losses);
        Assert.Equal(Math.Min(ra.Losses, rb.Losses), before.Losses);
        Assert.Same(before, gate.Best);
        (promote, _, _) = gate.Decide(better, better); // a tie promotes: training moves on
        Assert.True(promote);
    }
}
