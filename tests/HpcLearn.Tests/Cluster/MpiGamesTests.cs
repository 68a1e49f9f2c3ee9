using System.Text.RegularExpressions;
using HpcLearn.Runs;
using HpcLearn.Training;
using HpcLearn.Tests.Cli;
using Xunit;
using Xunit.Abstractions;
using CliRunner = HpcLearn.Tests.Cli.Cli;

namespace HpcLearn.Tests.Cluster;

/// <summary>
/// <c>mpirun -np 2 hpclearn train</c> on the games task: both ranks play self-play games, rank 0
/// gathers every position into its replay buffer, trains and writes one run folder; the
/// checkpoint it leaves continues in one process.
/// </summary>
[Collection(MpiCollection.Name)]
public sealed class MpiGamesTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hpclearn-mpi-games-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableFact]
    public void Two_ranks_share_the_self_play_and_rank_0_keeps_every_position_or_says_mpi_is_missing()
    {
        if (MpiRun.Missing(output)) return;
        string config = Path.Combine(_dir, "ttt.yaml");
        File.WriteAllText(config, """
            task: games
            name: ttt
            threads: 1
            game: tic_tac_toe
            model: {channels: 8, blocks: 1, value_hidden: 8}
            selfplay: {iterations: 2, games_per_iteration: 9, games_in_flight: 4, simulations: 8, parallel_leaves: 2, steps_per_iteration: 5, eval_games: 2, final_games: 2, judge_positions: 10, agent_simulations: 8, replay_size: 1000}
            final_opponents: [random]
            train: {batch_size: 16, optimizer: adam}
            """);
        string runs = Path.Combine(_dir, "runs");

        var r = MpiRun.Cli(2, TimeSpan.FromMinutes(4), "train", config, "--out", runs);
        output.WriteLine(r.Output);
        Assert.False(r.TimedOut, "mpirun did not finish");
        Assert.Equal(0, r.ExitCode);
        Assert.Single(r.Output.Split('\n'), l => l.StartsWith("self-play on 2 ranks", StringComparison.Ordinal));
        var byRank = Regex.Matches(r.Output, @"iteration (\d)/2: (\d+) positions .* \(positions by rank: (\d+) \+ (\d+)\)");
        Assert.Equal(2, byRank.Count);
        int total = 0;
        foreach (Match m in byRank)
        {
            int rank0 = int.Parse(m.Groups[3].Value), rank1 = int.Parse(m.Groups[4].Value);
            // 9 games split 5 + 4; a tic-tac-toe game lasts 5 to 9 moves.
            Assert.InRange(rank0, 5 * 5, 5 * 9);
            Assert.InRange(rank1, 4 * 5, 4 * 9);
            Assert.Equal(rank0 + rank1, int.Parse(m.Groups[2].Value));
            total += rank0 + rank1;
        }
        string run = Path.Combine(runs, "ttt");
        Assert.Equal(3, File.ReadAllLines(Path.Combine(run, "metrics.csv")).Length); // written once: header + 2 iterations
        Assert.True(File.Exists(Path.Combine(run, "model", ModelArtifact.WeightsFile)));

        // The checkpoint holds both ranks' positions and goes on in one process.
        var more = CliRunner.Run("train", config, "--resume", "--set", "selfplay.iterations=3", "--out", runs).AssertOk(allowStderr: true);
        Assert.Contains($"(iteration 2, generation ", more.Out);
        Assert.Contains($", {total} positions in the replay buffer)", more.Out);
        Assert.Contains("iteration 3/3", more.Out);
    }

    [SkippableFact]
    public void Fewer_games_per_iteration_than_ranks_is_one_line_and_exit_2_or_says_mpi_is_missing()
    {
        if (MpiRun.Missing(output)) return;
        string config = Path.Combine(_dir, "few.yaml");
        File.WriteAllText(config, "task: games\nname: few\nthreads: 1\ngame: tic_tac_toe\nselfplay: {games_per_iteration: 1}\n");
        var r = MpiRun.Cli(2, TimeSpan.FromMinutes(2), "train", config, "--out", Path.Combine(_dir, "runs"));
        output.WriteLine(r.Output);
        Assert.False(r.TimedOut, "mpirun did not finish");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("error: selfplay.games_per_iteration is 1, fewer than the 2 MPI ranks that share them; raise it to at least 2 or start fewer ranks", r.Output);
        Assert.Matches(@"Exit code:\s+2\b", r.Output); // mpirun names the rank's exit code: a user error's 2

        Assert.False(Directory.Exists(Path.Combine(_dir, "runs", "few")));
    }
}
