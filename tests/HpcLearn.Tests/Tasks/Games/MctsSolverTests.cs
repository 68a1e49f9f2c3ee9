using HpcLearn.Config;
using HpcLearn.Tasks.Games;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Tasks.Games;

/// <summary>MCTS-Solver in <see cref="PuctTree"/>, checked against the perfect-play solvers; no network (uniform or misleading priors, value 0).</summary>
public sealed class MctsSolverTests
{
    private static MctsOptions Search(int sims, int leaves = 1, bool solver = true) => new() { Simulations = sims, ParallelLeaves = leaves, Solver = solver };

    /// <summary>All prior on one action, value 0 everywhere: a prior that points away from the win.</summary>
    private sealed class MisleadingPrior(Game game, int favourite) : IPolicyValue
    {
        public Game Game { get; } = game;

        public void Evaluate(IReadOnlyList<GameState> states, float[] priors, float[] values)
        {
            Array.Fill(priors, 0f, 0, states.Count * Game.ActionCount);
            for (int i = 0; i < states.Count; i++) priors[i * Game.ActionCount + favourite] = 1f;
            Array.Fill(values, 0f, 0, states.Count);
        }
    }

    private static PuctTree Searched(GameState state, IPolicyValue net, MctsOptions search)
    {
        var tree = new PuctTree(state, search, new Random(1));
        BatchedSearch.Run([tree], net, search.ParallelLeaves);
        return tree;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void A_win_in_one_is_proven_and_played_after_one_simulation_whatever_the_prior(int leaves)
    {
        var win = ConnectFour.Instance.FromMoves([3, 3, 4, 4, 5, 5]); // X to move: columns 2 and 6 win
        var misleading = new MisleadingPrior(ConnectFour.Instance, favourite: 0);
        var tree = Searched(win, misleading, Search(800, leaves));
        Assert.Equal(1, tree.RootProven);
        Assert.Equal(1f, tree.RootValue);
        Assert.Equal(1, tree.Done); // the root's expansion proves it: the search stops there
        Assert.Contains(tree.ChooseMove(sample: false), new[] { 2, 6 });
        Assert.Contains(tree.ChooseMove(sample: true), new[] { 2, 6 });
        var pi = tree.VisitPolicy();
        Assert.Equal(0.5f, pi[2]);
        Assert.Equal(0.5f, pi[6]);

        // Plain PUCT follows the prior with the same few simulations: the solver is what finds the win.
        var plain = Searched(win, misleading, Search(8, leaves, solver: false));
        Assert.Null(plain.RootProven);
        Assert.Equal(0, plain.ChooseMove(sample: false));
    }

    [Fact]
    public void A_position_where_every_move_loses_is_proven_lost()
    {
        // X: 0, 0, 6; O: 2, 3, 4 on the bottom row with 1 and 5 open: whatever X plays, O wins next.
        var lost = ConnectFour.Instance.FromMoves([0, 2, 0, 3, 6, 4]);
        Assert.Equal(-1, new ConnectFourSolver().Outcome(lost));
        var tree = Searched(lost, new UniformPolicyValue(ConnectFour.Instance), Search(800));
        Assert.Equal(-1, tree.RootProven);
        Assert.Equal(-1f, tree.RootValue);
        Assert.True(tree.Done <= 8, $"{tree.Done} simulations"); // the root and each of its 7 children expanded once
        Assert.Equal(1f, tree.VisitPolicy().Sum(), 5);
        Assert.InRange(tree.ChooseMove(sample: false), 0, 6);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void A_forced_win_in_two_moves_is_proven_and_the_winning_move_played(int leaves)
    {
        // X: 2, 3 on the bottom row, O above them; X to move: 1 or 4 makes an open three that O cannot stop.
        var state = ConnectFour.Instance.FromMoves([2, 2, 3, 3]);
        var solver = new ConnectFourSolver();
        Assert.Equal(1, solver.Outcome(state));
        var tree = Searched(state, new UniformPolicyValue(ConnectFour.Instance), Search(5000, leaves));
        Assert.Equal(1, tree.RootProven);
        Assert.True(tree.Done < 5000, "the search stops once the root is proven");
        int move = tree.ChooseMove(sample: false);
        Assert.Equal(-1, solver.Outcome(state.Play(move))); // the opponent loses after the chosen move
        Assert.Equal(1f, tree.VisitPolicy()[move] * tree.VisitPolicy().Count(p => p > 0), 5); // the mass is on proven wins only

        // Subtree reuse keeps the proof: after the move and any reply, the win is played with no new simulation.
        tree.Advance(move);
        Assert.Equal(-1, tree.RootProven);
        int reply = tree.ChooseMove(sample: false);
        tree.Advance(reply);
        Assert.Equal(1, tree.RootProven);
        Assert.False(tree.NeedsMore);
        Assert.True(tree.Root.Play(tree.ChooseMove(sample: false)).LastMoveWon);
    }

    [Fact]
    public void Every_tic_tac_toe_position_with_five_empty_squares_or_fewer_gets_the_solvers_value()
    {
        // 326 simulations exhaust a tree of 5 empty squares (each expands one new node), so every root must be proven.
        var solver = new TicTacToeSolver();
        var uniform = new UniformPolicyValue(TicTacToe.Instance);
        var seen = new HashSet<ulong>();
        var stack = new Stack<GameState>([TicTacToe.Instance.Initial()]);
        int checkedPositions = 0;
        while (stack.Count > 0)
        {
            var s = stack.Pop();
            if (s.IsTerminal || !seen.Add(s.Key)) continue;
            foreach (int a in s.LegalMoves()) stack.Push(s.Play(a));
            if (s.MovesPlayed < 4) continue;
            var tree = Searched(s, uniform, Search(400));
            Assert.Equal(solver.Outcome(s), tree.RootProven);
            Assert.Contains(tree.ChooseMove(sample: false), solver.OptimalMoves(s));
            checkedPositions++;
        }
        Assert.True(checkedPositions > 1000, $"{checkedPositions} positions");
    }

    [Fact]
    public void Without_the_solver_nothing_is_proven_and_every_simulation_runs()
    {
        var lost = ConnectFour.Instance.FromMoves([0, 2, 0, 3, 6, 4]);
        var tree = Searched(lost, new UniformPolicyValue(ConnectFour.Instance), Search(200, solver: false));
        Assert.Null(tree.RootProven);
        Assert.Equal(200, tree.Done);
        Assert.True(tree.RootValue < 0);
    }

    [Fact]
    public void The_selfplay_mcts_solver_key_switches_the_solver_in_every_search_of_a_run()
    {
        using var tmp = new TempFolder();
        var defaults = (GamesConfig)ConfigLoader.Load(tmp.Write("on.yaml", "task: games\n"), [], n => n == "games" ? typeof(GamesConfig) : null, ["games"]);
        Assert.True(defaults.Selfplay.SelfPlaySearch(TicTacToe.Instance).Solver);
        var off = (GamesConfig)ConfigLoader.Load(tmp.Write("off.yaml", "task: games\nselfplay:\n  mcts_solver: false\n"), [], n => n == "games" ? typeof(GamesConfig) : null, ["games"]);
        Assert.False(off.Selfplay.SelfPlaySearch(TicTacToe.Instance).Solver);
        Assert.False(off.Selfplay.AgentSearch.Solver);
        Assert.False(off.Selfplay.EvalSearch.Solver);
    }

    private static MctsNode Child(int action, int visits, float valueSum, sbyte? proven = null, float prior = 0.1f)
        => new(null, action, prior) { Visits = visits, ValueSum = valueSum, Proven = proven };

    [Fact]
    public void The_move_and_the_target_follow_the_proofs()
    {
        // Undecided and most visited but below a draw (mean -0.6), a proven draw, a proven loss with many visits.
        MctsNode[] children = [Child(0, 50, -30f), Child(1, 5, 0f, proven: 0), Child(2, 80, -80f, proven: -1)];
        var w = PuctTree.MoveWeights(children, solver: true);
        Assert.Equal([50, 5, 0], w); // no weight on the proven loss
        Assert.Equal(1, PuctTree.BestMove(children, w, solver: true).Action); // the sure draw beats the likely loss
        Assert.Equal(2, PuctTree.BestMove(children, PuctTree.MoveWeights(children, solver: false), solver: false).Action); // plain: most visited

        children[0].ValueSum = 10f; // the undecided move now looks better than a draw: most visited again
        Assert.Equal(0, PuctTree.BestMove(children, PuctTree.MoveWeights(children, solver: true), solver: true).Action);

        // A proven win takes all the weight, however few its visits.
        MctsNode[] win = [Child(0, 90, 40f), Child(1, 1, 1f, proven: 1), Child(2, 9, 0f)];
        Assert.Equal([0, 1, 0], PuctTree.MoveWeights(win, solver: true));
        // All lost: the visits decide (the longest resistance the search found); all drawn or lost: only the draws.
        MctsNode[] lost = [Child(0, 3, -3f, proven: -1), Child(1, 7, -7f, proven: -1)];
        Assert.Equal([3, 7], PuctTree.MoveWeights(lost, solver: true));
        MctsNode[] drawn = [Child(0, 3, -3f, proven: -1), Child(1, 2, 0f, proven: 0), Child(2, 4, 0f, proven: 0)];
        Assert.Equal([0, 1, 1], PuctTree.MoveWeights(drawn, solver: true));
    }
}
