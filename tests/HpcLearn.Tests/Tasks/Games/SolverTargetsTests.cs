using HpcLearn.Tasks.Games;
using Xunit;

namespace HpcLearn.Tests.Tasks.Games;

public sealed class SolverTargetsTests
{
    /// <summary>Every tic-tac-toe position reachable from the start (unfinished ones), by its encoding.</summary>
    private static Dictionary<string, GameState> AllPositions()
    {
        var byPlanes = new Dictionary<string, GameState>();
        var stack = new Stack<GameState>([TicTacToe.Instance.Initial()]);
        while (stack.Count > 0)
        {
            var s = stack.Pop();
            if (s.IsTerminal) continue;
            var planes = new float[Game.Planes * 9];
            s.Encode(planes);
            if (!byPlanes.TryAdd(string.Join(',', planes), s)) continue;
            foreach (int a in s.LegalMoves()) stack.Push(s.Play(a));
        }
        return byPlanes;
    }

    [Fact]
    public void Self_play_positions_take_the_solvers_outcome_and_optimal_moves_as_targets()
    {
        var positions = AllPositions();
        var solver = new TicTacToeSolver();
        var search = new MctsOptions { Simulations = 16, ParallelLeaves = 2, DirichletAlpha = 1.0, DirichletEpsilon = 0.25 };
        var exact = new SolverTargets(new TicTacToeSolver(), policyMix: 0.5, fromStones: 3);
        var result = SelfPlay.Play(new UniformPolicyValue(TicTacToe.Instance), 12, 4, search, 4, new Random(1), exact);

        int labelled = 0, kept = 0;
        foreach (var e in result.Examples)
        {
            var state = positions[string.Join(',', e.Planes)];
            Assert.Equal(1f, e.Policy.Sum(), 4);
            if (state.MovesPlayed < 3) { kept++; continue; }
            labelled++;
            Assert.Equal(solver.Outcome(state), (int)e.Value);
            var optimal = solver.OptimalMoves(state);
            Assert.True(optimal.Sum(a => e.Policy[a]) >= 0.5f - 1e-5f, "half the policy target sits on the optimal moves");
        }
        Assert.True(labelled > 30 && kept > 10, $"{labelled} labelled, {kept} kept");
    }

    [Fact]
    public void Connect_four_labels_use_the_exact_score_and_policy_mix_one_puts_everything_on_it()
    {
        // After 2 2 3 3 4 4 (0-based columns), X wins at once in column 1 or 5: the exact score picks both.
        var s = ConnectFour.Instance.FromMoves([2, 2, 3, 3, 4, 4]);
        var visits = new float[7];
        Array.Fill(visits, 1f / 7);
        var (pi, value) = new SolverTargets(new ConnectFourSolver(131_101), 1.0, 0).Label(s, visits);
        Assert.Equal(1f, value);
        Assert.Equal([0f, 0.5f, 0f, 0f, 0f, 0.5f, 0f], pi);
        Assert.True(new SolverTargets(new ConnectFourSolver(131_101), 1.0, 14).Applies(s) is false);
    }

    [Fact]
    public void Random_openings_cover_every_length_up_to_the_limit_and_never_end_the_game()
    {
        var rng = new Random(3);
        var lengths = new HashSet<int>();
        for (int i = 0; i < 400; i++)
        {
            var s = SelfPlay.Opening(ConnectFour.Instance, 12, rng);
            Assert.False(s.IsTerminal);
            Assert.InRange(s.MovesPlayed, 0, 12);
            lengths.Add(s.MovesPlayed);
        }
        Assert.Equal(13, lengths.Count);
        Assert.Equal(0, SelfPlay.Opening(TicTacToe.Instance, 0, rng).MovesPlayed);
    }
}
