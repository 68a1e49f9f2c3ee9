using HpcLearn.Tasks.Games;
using Xunit;
using static TorchSharp.torch;

namespace HpcLearn.Tests.Tasks.Games;

/// <summary>
/// The network's fixed threat planes against a plain scan: every tic-tac-toe position reachable
/// in play, and Connect Four positions from random play at every stone count (the bitboard
/// solver's winning cells as a second oracle there).
/// </summary>
public sealed class ThreatPlanesTests
{
    /// <summary>Whether a stone of <paramref name="player"/> on the empty <paramref name="cell"/> would complete a line (no gravity).</summary>
    private static bool Completes(GameState s, int player, int cell)
    {
        var g = s.Game;
        int r0 = cell / g.Cols, c0 = cell % g.Cols;
        foreach (var (dr, dc) in new[] { (0, 1), (1, 0), (1, 1), (1, -1) })
        {
            int run = 1;
            foreach (int sign in new[] { 1, -1 })
                for (int k = 1; k < g.LineLength; k++)
                {
                    int r = r0 + sign * k * dr, c = c0 + sign * k * dc;
                    if (r < 0 || r >= g.Rows || c < 0 || c >= g.Cols || s.Owner(r * g.Cols + c) != player) break;
                    run++;
                }
            if (run >= g.LineLength) return true;
        }
        return false;
    }

    private static void Check(Game game, List<GameState> states)
    {
        int n = states.Count, cells = game.Cells, size = Game.Planes * cells;
        var input = new float[n * size];
        for (int i = 0; i < n; i++) states[i].Encode(input.AsSpan(i * size, size));
        using var features = new ThreatPlanes(game);
        using var x = tensor(input, [n, Game.Planes, game.Rows, game.Cols]);
        using var y = features.forward(x);
        Assert.Equal(new long[] { n, Game.Planes + ThreatPlanes.Added, game.Rows, game.Cols }, y.shape);
        var got = y.data<float>().ToArray();
        int planes = Game.Planes + ThreatPlanes.Added;
        for (int i = 0; i < n; i++)
        {
            var s = states[i];
            int me = s.ToMove, first = s.MovesPlayed % 2 == 0 ? 1 : 0;
            for (int c = 0; c < cells; c++)
            {
                float At(int plane) => got[(i * planes + plane) * cells + c];
                for (int p = 0; p < Game.Planes; p++) Assert.Equal(input[i * size + p * cells + c], At(p));
                bool empty = s.Owner(c) < 0;
                Assert.True((empty && Completes(s, me, c) ? 1f : 0f) == At(3), $"mover's threat at cell {c} of\n{s.Render()}");
                Assert.True((empty && Completes(s, 1 - me, c) ? 1f : 0f) == At(4), $"opponent's threat at cell {c} of\n{s.Render()}");
                Assert.Equal(first, At(5));
                Assert.Equal((c / game.Cols) % 2 == 0 ? 1f : 0f, At(6));
            }
        }
    }

    [Fact]
    public void Every_tic_tac_toe_position_has_the_threats_of_a_plain_scan()
    {
        var all = new Dictionary<ulong, GameState>();
        var todo = new Stack<GameState>([TicTacToe.Instance.Initial()]);
        while (todo.Count > 0)
        {
            var s = todo.Pop();
            if (!all.TryAdd(s.Key, s) || s.IsTerminal) continue;
            foreach (int a in s.LegalMoves()) todo.Push(s.Play(a));
        }
        Assert.Equal(5478, all.Count); // the positions reachable in play, terminal ones included
        Check(TicTacToe.Instance, all.Values.ToList());
    }

    [Fact]
    public void Connect_four_positions_have_the_threats_of_a_plain_scan_and_of_the_bitboards()
    {
        var rng = new Random(5);
        var states = new List<GameState>();
        for (int g = 0; g < 300; g++)
        {
            var s = ConnectFour.Instance.Initial();
            states.Add(s);
            while (!s.IsTerminal) states.Add(s = s.Play(s.LegalMoves()[rng.Next(s.LegalMoves().Length)]));
        }
        Check(ConnectFour.Instance, states);

        // The same cells as the solver's bitboard routine, for both sides.
        using var features = new ThreatPlanes(ConnectFour.Instance);
        foreach (var s in states.Cast<ConnectFourState>().Where((_, i) => i % 7 == 0))
        {
            var input = new float[Game.Planes * 42];
            s.Encode(input);
            using var x = tensor(input, [1, Game.Planes, 6, 7]);
            var got = features.forward(x).data<float>().ToArray();
            for (int side = 0; side < 2; side++)
            {
                ulong cells = ConnectFourBits.WinningCells(side == 0 ? s.Current : s.Current ^ s.Mask, s.Mask);
                for (int c = 0; c < 42; c++)
                {
                    bool bit = (cells & (1UL << ((c % 7) * (ConnectFourBits.Height + 1) + c / 7))) != 0;
                    Assert.Equal(bit ? 1f : 0f, got[(3 + side) * 42 + c]);
                }
            }
        }
    }

    [Fact]
    public void A_network_with_threat_planes_learns_and_its_planes_take_no_gradient()
    {
        using var one = new OneTorchThread();
        var options = new GameNetOptions { Channels = 8, Blocks = 1, ValueHidden = 8, ThreatPlanes = true };
        using var net = new PolicyValueNet(ConnectFour.Instance, options);
        Assert.Equal(net.parameters().Sum(p => p.numel()), PolicyValueNet.CountParameters(ConnectFour.Instance, options));
        Assert.DoesNotContain(net.state_dict().Keys, k => k.Contains("kernels") || k.Contains("oddRows"));
        var s = ConnectFour.Instance.FromMoves([3, 3, 2, 2, 4]);
        var input = new float[Game.Planes * 42];
        s.Encode(input);
        using var x = tensor(input, [1, Game.Planes, 6, 7]);
        using var opt = optim.Adam(net.parameters(), 0.01);
        double first = 0, last = 0;
        net.train();
        for (int step = 0; step < 60; step++) // learn to play column 5 (or 1) and a win
        {
            using var scope = NewDisposeScope();
            var (logits, v) = net.forward(x.repeat(4, 1, 1, 1));
            var loss = logits.log_softmax(1).select(1, 5).mean().neg().add(v.sub(1).pow(2).mean());
            opt.zero_grad();
            loss.backward();
            opt.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        Assert.True(last < first / 4, $"loss {first} → {last}");
    }
}
