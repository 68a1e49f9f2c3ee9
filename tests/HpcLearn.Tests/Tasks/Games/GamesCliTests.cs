using HpcLearn.Tasks.Games;
using HpcLearn.Tests.Cli;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;
using CliRunner = HpcLearn.Tests.Cli.Cli;

namespace HpcLearn.Tests.Tasks.Games;

[Collection(TorchGlobalStateCollection.Name)] // sets libtorch's thread count
public sealed class GamesCliTests : IDisposable
{
    private readonly TempFolder _tmp = new();
    private readonly OneTorchThread _threads = new();

    /// <summary>An untrained model folder for <paramref name="game"/> (the file layout is what is tested here, not skill).</summary>
    private string Model(Game game, string name)
    {
        var options = new GameNetOptions { Channels = 4, Blocks = 1, ValueHidden = 4 };
        using var net = new PolicyValueNet(game, options);
        string dir = _tmp[name];
        ModelArtifact.Save(dir, net, new ModelManifest { Task = GamesTask.Name, Details = GameModel.Details(game, options, 4, 1.5) });
        return dir;
    }

    private const string TinyRun = """
        task: games
        name: g
        threads: 1
        game: tic_tac_toe
        model: {channels: 8, blocks: 1, value_hidden: 8}
        selfplay: {iterations: 3, games_per_iteration: 8, games_in_flight: 4, simulations: 8, parallel_leaves: 2, steps_per_iteration: 5, eval_games: 2, final_games: 2, judge_positions: 10, agent_simulations: 8, replay_size: 500}
        train: {batch_size: 16, optimizer: adam}

        """;

    [Fact]
    public void Training_ends_with_next_lines_in_the_games_terms_that_work_as_printed()
    {
        var r = CliRunner.Run("train", _tmp.Write("n.yaml", TinyRun), "--out", _tmp["runs"]).AssertOk();
        string model = Path.Combine(_tmp["runs"], "g", "model");
        var lines = r.Out.Replace("\r", "").TrimEnd('\n').Split('\n');
        int next = Array.IndexOf(lines, "next:");
        Assert.True(next > 0, r.Out);
        Assert.Contains($" play {model} ", lines[next + 1]);
        Assert.Contains($" judge {model} ", lines[next + 2]);
        Assert.Contains("an empty line: the empty board", lines[next + 3]);
        Assert.DoesNotContain("training columns", r.Out);
        // The predict line works as printed, the empty board included.
        var positions = _tmp.Write("p.txt", "\n5\n");
        var p = CliRunner.Run("predict", model, positions, "--threads", "1").AssertOk();
        Assert.Contains("position,move,value", p.Out);
        Assert.Equal(3, p.Out.Replace("\r", "").Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => !l.StartsWith("hpclearn")));
        // A reference-benchmark file with one line out of its layout: one line naming it, exit 2.
        var mixed = _tmp.Write("mixed.txt", "53 0\n5 1 9\n");
        CliRunner.Run("evaluate", model, mixed, "--threads", "1")
            .AssertUserError($"{mixed}:2: expected 'MOVES SCORE' (moves run together, a space, the score) as on line 1, got '5 1 9'");
    }

    [Fact]
    public void A_time_budget_stops_after_an_iteration_with_its_checkpoint_and_exit_3()
    {
        // The clock moves 1 s per look; the budget starts at one look and is checked after each
        // iteration: with 2 s, the look after iteration 2 finds it used up.
        var host = new HpcLearn.Cli.CliHost
        {
            Environment = new Dictionary<string, string>(), Clock = new HpcLearn.Tests.Cluster.TickingClock(DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(1)),
            ListenForSignals = _ => HpcLearn.Cluster.StopSignals.None(),
        };
        string config = _tmp.Write("g.yaml", TinyRun.Replace("optimizer: adam}", "optimizer: adam, max_time: '00:00:02'}"));
        var r = CliRunner.Run(host, "train", config, "--out", _tmp["runs"]);

        Assert.True(r.ExitCode == HpcLearn.Cli.CliApp.Stopped, r.ToString());
        string checkpoints = Path.Combine(_tmp["runs"], "g", "checkpoints");
        Assert.Contains($"time budget reached (train.max_time 00:00:02): stopped after iteration 2 of 3; checkpoint in {checkpoints}", r.Out);
        Assert.Contains($"resume with: hpclearn train {config} --resume --out {_tmp["runs"]}", r.Out);
        Assert.Equal(2, GamesCheckpoint.List(checkpoints).Count);
        HpcLearn.Tests.Runs.StoppedRun.AssertUsableModel(Path.Combine(_tmp["runs"], "g"), GamesTask.Name, "time budget reached (train.max_time 00:00:02)");
    }

    [Fact]
    public void A_train_key_the_games_task_does_not_read_exits_2_naming_it()
    {
        string config = _tmp.Write("u.yaml", TinyRun);
        CliRunner.Run("train", config, "--out", _tmp["runs"], "--set", "train.epochs=3").AssertUserError(
            "--set train.epochs=3: 'train.epochs' is not used by the games task, which trains selfplay.steps_per_iteration steps after each iteration's self-play; set selfplay.iterations and selfplay.steps_per_iteration instead");
        CliRunner.Run("train", _tmp.Write("s.yaml", TinyRun.Replace("optimizer: adam}", "optimizer: adam, schedule: constant}")), "--out", _tmp["runs"])
            .AssertUserErrorStartsWith($"{_tmp["s.yaml"]}:7: 'train.schedule' is not used by the games task, which trains selfplay.steps_per_iteration steps after each iteration's self-play; set selfplay.lr_schedule (constant or cosine) instead");
        Assert.False(Directory.Exists(_tmp["runs"]));
    }

    [Theory]
    [InlineData("selfplay.random_opening=-1", "'selfplay.random_opening' must be 0 or more (random moves at most)")]
    [InlineData("selfplay.solver_policy_mix=2", "'selfplay.solver_policy_mix' must be in [0, 1], e.g. 0.5")]
    [InlineData("selfplay.solver_targets_from=-3", "'selfplay.solver_targets_from' must be 0 or more (stones on the board), or left out")]
    [InlineData("selfplay.lr_schedule=linear", "'selfplay.lr_schedule' must be constant or cosine, not 'linear'")]
    [InlineData("selfplay.solver_simulations=0", "'selfplay.solver_simulations' must be at least 1, or left out (the simulations of self-play)")]
    [InlineData("selfplay.solver_labellers=0", "'selfplay.solver_labellers' must be at least 1")]
    [InlineData("selfplay.solver_child_values=-1", "'selfplay.solver_child_values' must be 0 or more (positions after other moves, per labelled position)")]
    public void Bad_solver_target_and_opening_keys_exit_2_naming_them(string kv, string message)
    {
        CliRunner.Run("train", _tmp.Write("v.yaml", TinyRun), "--out", _tmp["runs"], "--set", kv).AssertUserError($"--set {kv}: {message}");
        Assert.False(Directory.Exists(_tmp["runs"]));
    }

    [Theory]
    [InlineData("selfplay.solver_label_opening=true", "labels the random opening with the solver's targets")]
    [InlineData("selfplay.solver_child_values=2", "labels positions after other moves with the solver")]
    public void Solver_keys_without_solver_targets_exit_2_naming_the_key(string kv, string what)
    {
        string key = kv[..kv.IndexOf('=')];
        CliRunner.Run("train", _tmp.Write("o.yaml", TinyRun), "--out", _tmp["runs"],
                "--set", "selfplay.solver_targets=false", "--set", kv)
            .AssertUserError($"--set {kv}: '{key}' {what}: set selfplay.solver_targets: true, or leave this out");
        Assert.False(Directory.Exists(_tmp["runs"]));
    }

    [Theory]
    [InlineData("model.policy_channels=0", "'model.policy_channels' must be from 1 to 1,000,000, e.g. 2")]
    [InlineData("model.value_channels=-1", "'model.value_channels' must be from 1 to 1,000,000, e.g. 1")]
    public void Bad_head_widths_exit_2_naming_them(string kv, string message)
    {
        CliRunner.Run("train", _tmp.Write("h.yaml", TinyRun), "--out", _tmp["runs"], "--set", kv).AssertUserError($"--set {kv}: {message}");
        Assert.False(Directory.Exists(_tmp["runs"]));
    }

    [Fact]
    public void Arena_between_built_in_players_reports_wins_draws_losses()
    {
        var r = CliRunner.Run("arena", "random", "solver", "--game", "tic_tac_toe", "--games", "10").AssertOk();
        Assert.Contains("random vs solver: 10 games, random won 0,", r.Out);
        Assert.Contains("95% CI", r.Out);
    }

    [Fact]
    public void Arena_and_judge_with_a_model()
    {
        string ttt = Model(TicTacToe.Instance, "ttt");
        var r = CliRunner.Run("arena", ttt, "random", "--games", "4", "--threads", "1").AssertOk();
        Assert.Contains(": 4 games,", r.Out);
        r = CliRunner.Run("judge", ttt, "--positions", "10", "--threads", "1").AssertOk();
        Assert.Contains("optimal move in", r.Out);
        Assert.Contains("of 10 positions (tic_tac_toe, 1-7 stones", r.Out);
        string positions = _tmp.Write("ttt.txt", "1 2\n5\n");
        r = CliRunner.Run("evaluate", ttt, positions, "--threads", "1").AssertOk();
        Assert.Contains("of 2 positions (a random move: ", r.Out); // after 1 2: 3 of 7 moves win; after 5: only the corners draw
    }

    [Fact]
    public void Judge_exhaustive_counts_every_line_and_says_whether_the_player_ever_loses()
    {
        var r = CliRunner.Run("judge", "solver", "--game", "tic_tac_toe", "--exhaustive").AssertOk();
        Assert.StartsWith("solver, every reply of the opponent at each of its turns: ", r.Out);
        Assert.Contains(", lost 0 (as first 0 of ", r.Out);
        Assert.Contains("non-optimal moves in 0 of ", r.Out);
        Assert.EndsWith("never loses: yes" + Environment.NewLine, r.Out);

        r = CliRunner.Run("judge", "random", "--game", "tic_tac_toe", "--exhaustive").AssertOk();
        Assert.Contains("510,336 lines, lost 209,088 (as first 77,904 of 255,168, as second 131,184 of 255,168)", r.Out);
        Assert.Contains("never loses: no", r.Out);
        Assert.Contains("first lost line, agent first: 1 2 3 4 6 5 7 8 (the agent's moves: 1 3 6 7)", r.Out);
        Assert.Contains("... and ", r.Out);
        Assert.DoesNotContain("replay:", r.Out); // a built-in random player is not what play plays against

        CliRunner.Run("judge", "mcts:50", "--game", "tic_tac_toe", "--exhaustive").AssertUserError(
            "--exhaustive: mcts:50 picks its moves by random rollouts, so its lines cannot be listed; judge it without --exhaustive");
        CliRunner.Run("judge", "random", "--game", "connect_four", "--exhaustive").AssertUserError(
            "--exhaustive: connect_four has too many lines to enumerate (only boards of up to 9 cells); use judge without --exhaustive");
        CliRunner.Run("judge", Model(ConnectFour.Instance, "c4"), "--exhaustive").AssertUserErrorStartsWith("--exhaustive: connect_four has too many lines");
        CliRunner.Run("judge", "solver", "--game", "tic_tac_toe", "--exhaustive", "--max-ply", "5").AssertUserError(
            "--min-ply/--max-ply choose the sampled positions; --exhaustive plays every line, so leave them out");
    }

    [Fact]
    public void Judge_exhaustive_prints_a_lost_line_that_play_replays_to_the_same_loss()
    {
        TorchSharp.torch.random.manual_seed(5); // an untrained network that loses somewhere
        string ttt = Model(TicTacToe.Instance, "ttt");
        var r = CliRunner.Run("judge", ttt, "--exhaustive", "--threads", "1").AssertOk();
        Assert.Contains("never loses: no", r.Out);
        var lost = System.Text.RegularExpressions.Regex.Match(r.Out, @"first lost line, agent (first|second): ([1-9 ]+) \(");
        Assert.True(lost.Success, r.Out);
        var replay = System.Text.RegularExpressions.Regex.Match(r.Out, @"  replay: printf '((?:[1-9]\\n)+)q\\n' \| hpclearn play (\S+)( --second)?\r?\n");
        Assert.True(replay.Success, r.Out);
        Assert.Equal(ttt, replay.Groups[2].Value);
        bool agentFirst = lost.Groups[1].Value == "first";
        Assert.Equal(agentFirst, replay.Groups[3].Success);

        // What play does with those keystrokes: the same game, lost by the agent.
        using var model = GameModel.Load(ttt);
        var output = new StringWriter();
        var typed = new StringReader(replay.Groups[1].Value.Replace("\\n", "\n"));
        int? winner = HumanPlay.Run(model.Game, model.Player("agent", 42), humanFirst: !agentFirst, typed, output);
        Assert.Equal(agentFirst ? 1 : 0, winner);
        Assert.EndsWith("you win" + Environment.NewLine, output.ToString());
        var agentMoves = lost.Groups[2].Value.Split(' ').Where((_, i) => i % 2 == (agentFirst ? 0 : 1));
        foreach (string m in agentMoves) Assert.Contains($"agent plays {m}", output.ToString());
    }

    [Fact]
    public void Players_of_different_games_are_refused()
    {
        string ttt = Model(TicTacToe.Instance, "ttt"), c4 = Model(ConnectFour.Instance, "c4");
        CliRunner.Run("arena", ttt, c4).AssertUserError($"{c4} plays connect_four but {ttt} is tic_tac_toe; both sides must play the same game");
        CliRunner.Run("arena", ttt, "random", "--game", "connect_four").AssertUserError($"{ttt} plays tic_tac_toe but --game is connect_four; both sides must play the same game");
        CliRunner.Run("arena", "random", "solver").AssertUserErrorStartsWith("no model folder among the players, so the game is unknown; add --game");
        CliRunner.Run("arena", "random", "mcts:x", "--game", "tic_tac_toe").AssertUserError("player 'mcts:x': write mcts:K with K a positive number of rollouts per move, e.g. mcts:1000");
    }

    [Fact]
    public void A_model_of_another_task_is_refused_by_play_arena_and_judge()
    {
        string dir = _tmp["tab"];
        using (var lin = TorchSharp.torch.nn.Linear(2, 2)) ModelArtifact.Save(dir, lin, new ModelManifest { Task = "tabular" });
        string json = Path.Combine(dir, "model.json");
        string msg = $"{json}: this model was made by the 'tabular' task, not 'games'; use a model trained by 'games'";
        CliRunner.Run("judge", dir).AssertUserError(msg);
        CliRunner.Run("arena", dir, "random").AssertUserError(msg);
        CliRunner.Run("play", dir).AssertUserError(msg);
    }

    [Fact]
    public void Predict_writes_a_move_per_position_and_names_the_line_of_an_illegal_move()
    {
        string c4 = Model(ConnectFour.Instance, "c4");
        string positions = _tmp.Write("pos.txt", "# openings\n4\n4 4 3\n");
        var r = CliRunner.Run("predict", c4, positions, "--threads", "1").AssertOk();
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("position,move,value", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("4 4 3,", lines[2]);
        string bad = _tmp.Write("bad.txt", "4\n4444444\n");
        CliRunner.Run("predict", c4, bad).AssertUserError($"{bad}:2: move 4 is illegal after 6 moves");
    }

    public void Dispose()
    {
        _tmp.Dispose();
        _threads.Dispose();
    }
}
