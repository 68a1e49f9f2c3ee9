using HpcLearn.Tasks.Games;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Tasks.Games;

[Collection(TorchGlobalStateCollection.Name)] // sets libtorch's thread count
public sealed class ExhaustiveJudgeTests : IDisposable
{
    private readonly OneTorchThread _threads = new();
    private static readonly TicTacToe Ttt = TicTacToe.Instance;

    /// <summary>
    /// The oracle: every complete game of tic-tac-toe, generated on a plain array with its own win
    /// check (no GameState), in lexicographic order of the move lists.
    /// </summary>
    private static readonly Lazy<List<int[]>> AllGames = new(() =>
    {
        int[][] rows = [[0, 1, 2], [3, 4, 5], [6, 7, 8], [0, 3, 6], [1, 4, 7], [2, 5, 8], [0, 4, 8], [2, 4, 6]];
        var games = new List<int[]>();
        var board = new int[9];
        var moves = new List<int>();
        void Walk(int mark)
        {
            for (int c = 0; c < 9; c++)
            {
                if (board[c] != 0) continue;
                board[c] = mark;
                moves.Add(c);
                bool won = rows.Any(r => r.All(x => board[x] == mark));
                if (won || moves.Count == 9) games.Add([.. moves]);
                else Walk(-mark);
                moves.RemoveAt(moves.Count - 1);
                board[c] = 0;
            }
        }
        Walk(1);
        return games;
    });

    /// <summary>The oracle's (lines, wins, draws, losses, first lost line) for <paramref name="player"/> on <paramref name="side"/>: the games whose every move of that side is one the player may choose.</summary>
    private static (long Lines, long Wins, long Draws, long Losses, int[]? FirstLoss) Oracle(IMoveSetPlayer player, int side)
    {
        var memo = new Dictionary<ulong, IReadOnlyList<int>>();
        long lines = 0, wins = 0, draws = 0, losses = 0;
        int[]? firstLoss = null;
        foreach (var game in AllGames.Value)
        {
            var s = Ttt.Initial();
            bool consistent = true;
            for (int i = 0; i < game.Length && consistent; i++)
            {
                if (i % 2 == side)
                {
                    if (!memo.TryGetValue(s.Key, out var allowed)) memo[s.Key] = allowed = player.PossibleMoves(s);
                    consistent = allowed.Contains(game[i]);
                }
                s = s.Play(game[i]);
            }
            if (!consistent) continue;
            lines++;
            // The last mover won unless the board is full without a line.
            bool lastWon = s.LastMoveWon;
            int lastMover = (game.Length - 1) % 2;
            if (!lastWon) draws++;
            else if (lastMover == side) wins++;
            else { losses++; firstLoss ??= game; }
        }
        return (lines, wins, draws, losses, firstLoss);
    }

    private static void AssertMatchesOracle(ExhaustiveJudge.Side side, (long Lines, long Wins, long Draws, long Losses, int[]? FirstLoss) oracle)
    {
        Assert.Equal(oracle.Lines, side.Lines);
        Assert.Equal(oracle.Wins, side.Wins);
        Assert.Equal(oracle.Draws, side.Draws);
        Assert.Equal(oracle.Losses, side.Losses);
        Assert.Equal(oracle.FirstLoss, side.FirstLoss);
    }

    [Fact]
    public void The_oracle_knows_tic_tac_toe()
    {
        // The known counts: 255,168 games; 131,184 won by X, 77,904 by O, 46,080 drawn.
        var games = AllGames.Value;
        Assert.Equal(255_168, games.Count);
        Assert.Equal(131_184, games.Count(g => g.Length % 2 == 1 && Ttt.FromMoves(g).LastMoveWon));
        // A random player may play anything, so its lines are all the games, from both sides.
        var random = new RandomPlayer(0);
        var r = ExhaustiveJudge.Run(Ttt, random, new TicTacToeSolver());
        Assert.Equal((255_168L, 131_184L, 46_080L, 77_904L), (r.AsFirst.Lines, r.AsFirst.Wins, r.AsFirst.Draws, r.AsFirst.Losses));
        Assert.Equal((255_168L, 77_904L, 46_080L, 131_184L), (r.AsSecond.Lines, r.AsSecond.Wins, r.AsSecond.Draws, r.AsSecond.Losses));
        AssertMatchesOracle(r.AsFirst, Oracle(random, 0));
        AssertMatchesOracle(r.AsSecond, Oracle(random, 1));
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], r.AsSecond.FirstLoss!); // the first in move order: X wins on 3-5-7 at its fourth move
    }

    [Fact]
    public void A_perfect_player_never_loses_and_its_lines_are_the_oracles()
    {
        var solver = new TicTacToeSolver();
        var perfect = new FirstOptimal(solver);
        var r = ExhaustiveJudge.Run(Ttt, perfect, solver);
        Assert.True(r.NeverLoses, r.Describe("perfect"));
        Assert.Empty(r.Mistakes);
        Assert.Null(r.FirstLoss);
        AssertMatchesOracle(r.AsFirst, Oracle(perfect, 0));
        AssertMatchesOracle(r.AsSecond, Oracle(perfect, 1));
        Assert.True(r.Lines > 500, r.Describe("perfect"));
        Assert.EndsWith("never loses: yes", r.Describe("perfect"));

        // Every optimal move followed, not one: the solver player, enumerated over its random choice.
        var every = new SolverPlayer(solver, 0);
        var all = ExhaustiveJudge.Run(Ttt, every, solver);
        Assert.Equal(0, all.Losses);
        Assert.Empty(all.Mistakes);
        AssertMatchesOracle(all.AsFirst, Oracle(every, 0));
        AssertMatchesOracle(all.AsSecond, Oracle(every, 1));
        Assert.True(all.Lines > r.Lines);
    }

    [Fact]
    public void A_weak_player_loses_and_its_first_lost_line_is_a_real_loss()
    {
        var solver = new TicTacToeSolver();
        var weak = new LowestCell();
        var r = ExhaustiveJudge.Run(Ttt, weak, solver);
        AssertMatchesOracle(r.AsFirst, Oracle(weak, 0));
        AssertMatchesOracle(r.AsSecond, Oracle(weak, 1));
        Assert.True(r.AsFirst.Losses > 0 && r.AsSecond.Losses > 0, r.Describe("weak"));
        Assert.False(r.NeverLoses);
        Assert.EndsWith("never loses: no", r.Describe("weak"));

        // Replayed move by move: every move legal, the weak side's the lowest free cell, the game
        // running to the last move and ending there with the opponent's line.
        var (side, moves) = r.FirstLoss!.Value;
        Assert.Equal(0, side);
        var s = Ttt.Initial();
        for (int i = 0; i < moves.Length; i++)
        {
            Assert.False(s.IsTerminal);
            Assert.True(s.IsLegal(moves[i]));
            if (i % 2 == side) Assert.Equal(s.LegalMoves()[0], moves[i]);
            s = s.Play(moves[i]);
        }
        Assert.True(s.IsTerminal && s.LastMoveWon);
        Assert.Equal(1 - side, s.Winner);

        // Every listed mistake is the weak move, in a position where the solver rates it worse.
        Assert.NotEmpty(r.Mistakes);
        foreach (var m in r.Mistakes)
        {
            var at = Ttt.FromMoves(m.Line);
            Assert.Equal(at.LegalMoves()[0], m.Move);
            Assert.Equal(solver.Outcome(at), m.Outcome);
            Assert.True(m.OutcomeAfter < m.Outcome);
            Assert.DoesNotContain(m.Move, m.Optimal);
            Assert.Equal(solver.OptimalMoves(at), m.Optimal);
        }
        // Distinct positions, each once.
        Assert.Equal(r.Mistakes.Count, r.Mistakes.Select(m => Ttt.FromMoves(m.Line).Key).Distinct().Count());
    }

    [Fact]
    public void A_trained_agent_is_deterministic_at_play_time_whatever_its_seed()
    {
        TorchSharp.torch.random.manual_seed(3);
        using var net = new PolicyValueNet(Ttt, new GameNetOptions { Channels = 4, Blocks = 1, ValueHidden = 4 });
        net.eval();
        var search = new MctsOptions { Simulations = 16 };
        var a = new AgentPlayer("a", new NetworkPolicyValue(net), search, seed: 1);
        var b = new AgentPlayer("b", new NetworkPolicyValue(net), search, seed: 2);
        Assert.True(a.IsDeterministic);
        var r = ExhaustiveJudge.Run(Ttt, a, new TicTacToeSolver());
        // Every position the enumeration reached gets the same move again, and from another seed.
        var positions = new List<GameState>();
        void Collect(GameState s, int side)
        {
            if (s.IsTerminal) return;
            if (s.ToMove == side) { positions.Add(s); Collect(s.Play(a.ChooseMove(s)), side); }
            else foreach (int m in s.LegalMoves()) Collect(s.Play(m), side);
        }
        Collect(Ttt.Initial(), 0);
        Collect(Ttt.Initial(), 1);
        Assert.Equal(r.Positions, positions.DistinctBy(p => p.Key).Count());
        foreach (var p in positions.DistinctBy(p => p.Key))
        {
            int move = a.PossibleMoves(p).Single();
            Assert.Equal(move, a.ChooseMove(p));
            Assert.Equal(move, b.ChooseMove(p));
        }

        // Root noise or a sampled opening ply makes the move random: it cannot be listed.
        var noisy = new AgentPlayer("n", new NetworkPolicyValue(net), search with { DirichletAlpha = 1.0 }, seed: 1);
        Assert.False(noisy.IsDeterministic);
        Assert.Throws<InvalidOperationException>(() => noisy.PossibleMoves(Ttt.Initial()));
        var sampling = new AgentPlayer("s", new NetworkPolicyValue(net), search, seed: 1, sampledMoves: 2);
        Assert.Throws<InvalidOperationException>(() => sampling.PossibleMoves(Ttt.Initial().Play(4)));
        Assert.Single(sampling.PossibleMoves(Ttt.FromMoves([4, 0])));
    }

    [Fact]
    public void Connect_four_is_too_big_to_enumerate()
    {
        Assert.True(ExhaustiveJudge.CanEnumerate(Ttt));
        Assert.False(ExhaustiveJudge.CanEnumerate(ConnectFour.Instance));
        Assert.Throws<ArgumentException>(() => ExhaustiveJudge.Run(ConnectFour.Instance, new RandomPlayer(0), new ConnectFourSolver(1_048_573)));
    }

    /// <summary>Perfect and deterministic: the lowest-numbered optimal move.</summary>
    private sealed class FirstOptimal(GameSolver solver) : IMoveSetPlayer
    {
        public string Name => "first-optimal";
        public int ChooseMove(GameState state) => solver.OptimalMoves(state)[0];
        public IReadOnlyList<int> PossibleMoves(GameState state) => [ChooseMove(state)];
    }

    /// <summary>Weak and deterministic: the lowest free cell.</summary>
    private sealed class LowestCell : IMoveSetPlayer
    {
        public string Name => "lowest";
        public int ChooseMove(GameState state) => state.LegalMoves()[0];
        public IReadOnlyList<int> PossibleMoves(GameState state) => [ChooseMove(state)];
    }

    public void Dispose() => _threads.Dispose();
}
