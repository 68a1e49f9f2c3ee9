using HpcLearn.Tasks.Games;
using Xunit;

namespace HpcLearn.Tests.Tasks.Games;

public sealed class ConnectFourTests
{
    private static long Perft(GameState s, int depth)
    {
        if (depth == 0) return 1;
        if (s.IsTerminal) return 0;
        long n = 0;
        for (int a = 0; a < 7; a++) if (s.IsLegal(a)) n += Perft(s.Play(a), depth - 1);
        return n;
    }

    [Fact]
    public void Perft_matches_the_array_reference_and_the_known_counts()
    {
        long[] known = [1, 7, 49, 343, 2401, 16807, 117649, 823536];
        var reference = new ArrayConnectFour();
        for (int d = 0; d <= 7; d++)
        {
            long bits = Perft(ConnectFour.Instance.Initial(), d);
            Assert.Equal(reference.Perft(d), bits);
            if (d < known.Length) Assert.Equal(known[d], bits);
        }
    }

    [Fact]
    public void Random_games_agree_with_the_reference_move_by_move()
    {
        var rng = new Random(7);
        for (int game = 0; game < 300; game++)
        {
            var s = ConnectFour.Instance.Initial();
            var r = new ArrayConnectFour();
            while (!s.IsTerminal)
            {
                var legal = s.LegalMoves();
                Assert.Equal(Enumerable.Range(0, 7).Where(r.CanPlay), legal);
                int a = legal[rng.Next(legal.Length)];
                s = s.Play(a);
                r.Play(a);
                Assert.Equal(r.LastMoveWon, s.LastMoveWon);
                Assert.Equal(r.IsTerminal, s.IsTerminal);
            }
        }
    }

    [Fact]
    public void Mirror_symmetry_maps_games_onto_games()
    {
        var sym = ConnectFour.Instance.Symmetries[1];
        int[] moves = [3, 2, 2, 1, 1, 0, 1, 0, 0, 6, 0];
        var s = ConnectFour.Instance.FromMoves(moves);
        var m = ConnectFour.Instance.FromMoves(moves.Select(a => sym.Actions[a]));
        Assert.True(s.LastMoveWon); // the diagonal 0..3
        Assert.True(m.LastMoveWon);
        var enc = new float[3 * 42]; var mapped = new float[3 * 42]; var expect = new float[3 * 42];
        s.Encode(enc); m.Encode(mapped);
        sym.MapPlanes(enc, expect, 3);
        Assert.Equal(expect, mapped);
        Assert.Contains("X", s.Render());
    }
}
