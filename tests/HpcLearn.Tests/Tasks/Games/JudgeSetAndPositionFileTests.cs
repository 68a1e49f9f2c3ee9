using HpcLearn.Tasks.Games;
using HpcLearn.Tests.Data;
using Xunit;

namespace HpcLearn.Tests.Tasks.Games;

public sealed class JudgeSetAndPositionFileTests
{
    [Fact]
    public void Connect_four_judge_marks_the_exact_score_optimal_moves_checked_by_brute_force()
    {
        var solver = new ConnectFourSolver(1_048_573);
        var set = Judge.Sample(ConnectFour.Instance, solver, 12, 30, 33, seed: 5);
        Assert.Equal(12, set.Count);
        foreach (var p in set)
        {
            var scores = new int[7];
            for (int c = 0; c < 7; c++)
            {
                if (!p.State.IsLegal(c)) { scores[c] = int.MinValue; continue; }
                var b = ArrayConnectFour.From(p.State);
                b.Play(c);
                scores[c] = b.LastMoveWon ? (43 - p.State.MovesPlayed) / 2 : b.IsTerminal ? 0 : -b.BruteForceScore();
            }
            Assert.Equal(GameSolver.Best(scores), p.Optimal);
            Assert.True(p.Optimal.Length < p.State.LegalMoves().Length);
        }
    }

    [Fact]
    public void The_hard_set_has_one_move_keeping_the_outcome_and_no_win_or_block_in_one()
    {
        var solver = new ConnectFourSolver(1_048_573);
        var hard = Judge.Sample(ConnectFour.Instance, solver, 10, 26, 32, seed: 2, JudgeSet.Hard);
        Assert.Equal(10, hard.Count);
        foreach (var p in hard)
        {
            // Brute force: exactly one move keeps the outcome, and it is the one marked.
            var outcomes = new int[7];
            for (int c = 0; c < 7; c++)
            {
                if (!p.State.IsLegal(c)) { outcomes[c] = int.MinValue; continue; }
                var b = ArrayConnectFour.From(p.State);
                b.Play(c);
                outcomes[c] = b.LastMoveWon ? 1 : b.IsTerminal ? 0 : -Math.Sign(b.BruteForceScore());
            }
            Assert.Single(GameSolver.Best(outcomes));
            Assert.Equal(GameSolver.Best(outcomes), p.Optimal);
            Assert.DoesNotContain(p.State.LegalMoves(), a => p.State.Play(a).LastMoveWon);
            Assert.False(ArrayConnectFour.From(p.State).OpponentCouldWinAtOnce());
        }
        // Tic-tac-toe: the same rules, judged by outcome (its solver's only score).
        var ttt = Judge.Sample(TicTacToe.Instance, new TicTacToeSolver(), 5, 1, 6, seed: 1, JudgeSet.Hard);
        Assert.NotEmpty(ttt);
        Assert.All(ttt, p => Assert.Single(p.Optimal));
    }

    [Fact]
    public void Position_files_take_the_empty_board_and_reference_benchmark_lines()
    {
        using var dir = new TempDir();
        // A blank line is the empty board; trailing blank lines are not positions; # is a comment.
        var plain = PositionFile.Read(dir.Write("p.txt", "# start\n\n4\n4 4 3\n\n\n"), ConnectFour.Instance);
        Assert.Equal([2, 3, 4], plain.Select(e => e.Line));
        Assert.Equal(0, plain[0].State.MovesPlayed);
        Assert.All(plain, e => Assert.Null(e.Score));
        // The reference benchmark's "moves score" lines, as they are.
        var scored = PositionFile.Read(dir.Write("s.txt", "4455 18\n44455554221 -15\n"), ConnectFour.Instance);
        Assert.Equal([18, -15], scored.Select(e => e.Score!.Value));
        Assert.Equal(11, scored[1].State.MovesPlayed);
        // Two single moves are moves, not a position and a score.
        var ttt = PositionFile.Read(dir.Write("t.txt", "5 1\n3 7\n"), TicTacToe.Instance);
        Assert.All(ttt, e => { Assert.Null(e.Score); Assert.Equal(2, e.State.MovesPlayed); });
        var err = Assert.Throws<UserError>(() => PositionFile.Read(dir.Write("bad.txt", "4455 18\n4x 3\n"), ConnectFour.Instance));
        Assert.Contains("bad.txt:2", err.Message);
    }
}
