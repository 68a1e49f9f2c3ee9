using HpcLearn.Tasks.Games;
using Xunit;

namespace HpcLearn.Tests.Tasks.Games;

public sealed class TicTacToeTests
{
    [Fact]
    public void Reachable_positions_are_5478()
    {
        var seen = new HashSet<ulong>();
        var queue = new Queue<GameState>([TicTacToe.Instance.Initial()]);
        seen.Add(queue.Peek().Key);
        while (queue.Count > 0)
        {
            var s = queue.Dequeue();
            foreach (int a in s.LegalMoves())
            {
                var next = s.Play(a);
                if (seen.Add(next.Key)) queue.Enqueue(next);
            }
        }
        Assert.Equal(5478, seen.Count);
    }

    [Fact]
    public void Perfect_play_draws_and_the_solver_knows_the_classic_positions()
    {
        var solver = new TicTacToeSolver();
        var start = TicTacToe.Instance.Initial();
        Assert.Equal(0, solver.Outcome(start));
        Assert.All(solver.MoveOutcomes(start), o => Assert.Equal(0, o)); // every opening draws
        // X in a corner, O on an adjacent edge: X wins.
        Assert.Equal(1, solver.Outcome(TicTacToe.Instance.FromMoves([0, 1])));
        // X in the centre, O on an edge: X wins.
        Assert.Equal(1, solver.Outcome(TicTacToe.Instance.FromMoves([4, 1])));
        // X in a corner, O must answer in the centre: only 4 draws.
        Assert.Equal([4], solver.OptimalMoves(TicTacToe.Instance.FromMoves([0])));
    }

    [Fact]
    public void Wins_draws_and_legality()
    {
        var g = TicTacToe.Instance;
        var won = g.FromMoves([0, 3, 1, 4, 2]); // X takes the top row
        Assert.True(won.IsTerminal);
        Assert.Equal(0, won.Winner);
        Assert.Equal(-1f, won.TerminalValue);
        Assert.False(won.IsLegal(5));
        var drawn = g.FromMoves([0, 4, 8, 1, 7, 6, 2, 5, 3]);
        Assert.True(drawn.IsTerminal);
        Assert.Equal(-1, drawn.Winner);
        Assert.Throws<ArgumentException>(() => g.FromMoves([0, 0]));
    }

    [Fact]
    public void Symmetries_form_the_square_group_and_map_wins_to_wins()
    {
        var syms = TicTacToe.Instance.Symmetries;
        Assert.Equal(8, syms.Count);
        Assert.Equal(8, syms.Select(s => string.Join(",", s.Cells)).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 9), syms[0].Cells);
        var won = TicTacToe.Instance.FromMoves([0, 3, 1, 4, 2]);
        foreach (var s in syms)
        {
            var mapped = TicTacToe.Instance.FromMoves(new[] { 0, 3, 1, 4, 2 }.Select(a => s.Actions[a]));
            Assert.True(mapped.LastMoveWon);
            var enc = new float[27]; var mappedEnc = new float[27]; var expect = new float[27];
            won.Encode(enc); mapped.Encode(mappedEnc);
            s.MapPlanes(enc, expect, 3);
            Assert.Equal(expect, mappedEnc);
        }
    }

    [Fact]
    public void Encoding_is_from_the_movers_view()
    {
        var s = TicTacToe.Instance.FromMoves([4]); // O to move; X holds the centre
        var enc = new float[27];
        s.Encode(enc);
        Assert.Equal(0f, enc[4]);      // not the mover's
        Assert.Equal(1f, enc[9 + 4]);  // the opponent's
        Assert.All(enc[18..], v => Assert.Equal(1f, v));
    }
}
