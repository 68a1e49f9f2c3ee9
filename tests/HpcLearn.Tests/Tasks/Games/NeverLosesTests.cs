using HpcLearn.Config;
using HpcLearn.Runs;
using HpcLearn.Tasks;
using HpcLearn.Tasks.Games;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Tasks.Games;

/// <summary>
/// Issue 21: a tic-tac-toe agent that never loses. Trains with the settings users get — the
/// example config as <c>hpclearn train examples/tictactoe.yaml</c> reads it, and the task's
/// defaults — and requires zero lost lines over every line against every opponent, as first and
/// as second player. Only the after-training matches (<c>final_games</c>) are left out: they
/// come after the model is final and do not change it. About 20 s per case on one core.
/// </summary>
[Collection(TorchGlobalStateCollection.Name)] // sets libtorch's thread count
public sealed class NeverLosesTests : IDisposable
{
    private readonly OneTorchThread _threads = new();

    private static GamesConfig Load(string path) => Assert.IsType<GamesConfig>(ConfigLoader.Load(path, ["selfplay.final_games=0"],
        n => TaskRegistry.Find(n)?.ConfigType, TaskRegistry.All.Select(t => t.Name).ToList()));

    [Theory]
    [InlineData("example")]
    [InlineData("defaults")]
    public void Tic_tac_toe_trained_as_users_train_it_never_loses_a_line(string settings)
    {
        using var tmp = new TempFolder();
        var config = settings == "example"
            ? Load(Path.Combine(RepoPaths.Root, "examples", "tictactoe.yaml"))
            : Load(tmp.Write("defaults.yaml", "task: games\nname: tictactoe\n"));
        Assert.Equal(TicTacToe.GameName, config.Game);
        // The example says what it uses; the defaults leave the promotion to the game, which chooses the same.
        Assert.True(config.Selfplay.SolverTargets);
        Assert.Equal(0, config.Selfplay.Targets(TicTacToe.Instance)!.FromStones); // every position labelled
        Assert.Equal(settings == "example" ? "exhaustive" : null, config.Selfplay.Promotion);
        Assert.True(config.Selfplay.PromotesByExhaustive(TicTacToe.Instance));

        var log = new StringWriter();
        var summary = GamesRun.Train(config, new RunContext { Out = log, RunsRoot = tmp["runs"] });
        Assert.Contains("promotion: the exhaustive judge", log.ToString());
        Assert.Contains("solver targets: positions with at least 0 stones", log.ToString());
        Assert.True(summary.Metrics["exhaustive_losses"] == 0, log.ToString());

        // Judged again from the model folder, as judge --exhaustive and play load it.
        using var model = GameModel.Load(Path.Combine(tmp["runs"], "tictactoe", "model"));
        var r = ExhaustiveJudge.Run(TicTacToe.Instance, model.Player("agent", seed: 7), new TicTacToeSolver());
        Assert.True(r.AsFirst.Losses == 0 && r.AsSecond.Losses == 0, r.Describe(settings) + "\n" + log);
        Assert.Equal(summary.Metrics["exhaustive_lines"], r.Lines);
        Assert.True(r.AsFirst.Lines > 50 && r.AsSecond.Lines > 400, r.Describe(settings)); // every reply was followed
    }

    public void Dispose() => _threads.Dispose();
}
