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
    public void Value_backfill_gives_positions_before_the_first_labelled_one_its_exact_outcome()
    {
        var positions = AllPositions();
        var solver = new TicTacToeSolver();
        var search = new MctsOptions { Simulations = 16, ParallelLeaves = 2, DirichletAlpha = 1.0, DirichletEpsilon = 0.25 };
        SelfPlay.Result Run(bool backfill) => SelfPlay.Play(new UniformPolicyValue(TicTacToe.Instance), 48, 4, search, 9, new Random(5),
            new SolverTargets(new TicTacToeSolver(), policyMix: 0.5, fromStones: 4) { ValueBackfill = backfill });
        var with = Run(true).Examples;
        var without = Run(false).Examples;
        Assert.Equal(without.Count, with.Count);

        // The examples hold each game's positions in order, every game from the empty board.
        var games = new List<List<(TrainingExample With, TrainingExample Without, GameState State)>>();
        for (int i = 0; i < with.Count; i++)
        {
            var state = positions[string.Join(',', with[i].Planes)];
            if (state.MovesPlayed == 0) games.Add([]);
            games[^1].Add((with[i], without[i], state));
        }
        int changed = 0, early = 0;
        foreach (var game in games)
        {
            int first = game.FindIndex(p => p.State.MovesPlayed >= 4);
            if (first < 0) continue; // ended before 4 stones (cannot in tic-tac-toe, but no label then)
            int outcome = solver.Outcome(game[first].State);
            for (int k = 0; k < game.Count; k++)
            {
                var (w, wo, state) = game[k];
                Assert.Equal(wo.Policy, w.Policy);
                if (k >= first) { Assert.Equal(wo.Value, w.Value); continue; }
                early++;
                Assert.Equal(state.ToMove == game[first].State.ToMove ? outcome : -outcome, (int)w.Value);
                if (w.Value != wo.Value) changed++;
            }
        }
        Assert.True(early >= 48 * 4 / 2, $"{early} early positions");
        Assert.True(changed > 0, "some game's result differs from perfect play after its 4th stone");
    }

    [Fact]
    public void Labelled_openings_add_the_random_moves_positions_with_the_solvers_targets_and_change_nothing_else()
    {
        var positions = AllPositions();
        var solver = new TicTacToeSolver();
        var search = new MctsOptions { Simulations = 16, ParallelLeaves = 2, DirichletAlpha = 1.0, DirichletEpsilon = 0.25 };
        SelfPlay.Result Run(bool opening) => SelfPlay.Play(new UniformPolicyValue(TicTacToe.Instance), 40, 4, search, 9, new Random(8),
            new SolverTargets(new TicTacToeSolver(), policyMix: 1.0, fromStones: 2) { OpeningPositions = opening }, randomOpening: 6);
        var with = Run(true);
        var without = Run(false).Examples;
        Assert.Equal(40, with.Games);

        // The searched positions are the same examples in the same order; each game's extra ones come
        // first, one for each random move played from 2 stones on, labelled by the solver alone.
        int next = 0, added = 0;
        foreach (var e in with.Examples)
        {
            if (next < without.Count && e.Planes.SequenceEqual(without[next].Planes) && e.Policy.SequenceEqual(without[next].Policy) && e.Value == without[next].Value)
            {
                next++;
                continue;
            }
            added++;
            var state = positions[string.Join(',', e.Planes)];
            Assert.InRange(state.MovesPlayed, 2, 5); // played from by one of at most 6 random moves
            Assert.Equal(solver.Outcome(state), (int)e.Value);
            var optimal = solver.ExactOptimalMoves(state);
            Assert.Equal(1f, optimal.Sum(a => e.Policy[a]), 4);
            Assert.All(optimal, a => Assert.Equal(1f / optimal.Length, e.Policy[a], 4));
        }
        Assert.Equal(without.Count, next);
        // 40 openings of 0..6 random moves: about 40 × (1 + 2 + 3 + 4) / 7 ≈ 57 positions from 2 stones on.
        Assert.InRange(added, 20, 120);
        Assert.Equal(without.Count + added, with.Examples.Count);
    }

    [Fact]
    public void Child_values_add_positions_after_other_moves_with_their_exact_outcome_and_no_policy()
    {
        var positions = AllPositions();
        var solver = new TicTacToeSolver();
        var search = new MctsOptions { Simulations = 16, ParallelLeaves = 2, DirichletAlpha = 1.0, DirichletEpsilon = 0.25 };
        var result = SelfPlay.Play(new UniformPolicyValue(TicTacToe.Instance), 24, 4, search, 9, new Random(4),
            new SolverTargets(new TicTacToeSolver(), policyMix: 1.0, fromStones: 2) { ChildValues = 2 });
        int played = result.Examples.Count - result.ChildExamples;
        Assert.True(result.ChildExamples > 0);
        // The positions played come first, each with a policy target; then the children, value only.
        var parents = result.Examples.Take(played).Select(e => positions[string.Join(',', e.Planes)]).Where(p => p.MovesPlayed >= 2).ToList();
        Assert.All(result.Examples.Take(played), e => Assert.Equal(1f, e.Policy.Sum(), 4));
        int most = parents.Sum(p => Math.Min(2, p.LegalMoves().Count(a => !p.Play(a).IsTerminal)));
        Assert.InRange(result.ChildExamples, most / 2, most);
        foreach (var e in result.Examples.Skip(played))
        {
            var state = positions[string.Join(',', e.Planes)];
            Assert.All(e.Policy, p => Assert.Equal(0f, p));
            Assert.InRange(state.MovesPlayed, 3, 8);
            Assert.Equal(solver.Outcome(state), (int)e.Value);
        }

        // One position's children: never the move played, at most the number asked for, none that ends the game.
        var exact = new SolverTargets(new TicTacToeSolver(), 1.0, 0) { ChildValues = 3 };
        var s = TicTacToe.Instance.Initial().Play(4).Play(0).Play(8);   // X centre, O corner, X opposite corner
        var visits = new float[9];
        foreach (int a in s.LegalMoves()) visits[a] = 1f / 6;
        for (int seed = 0; seed < 20; seed++)
        {
            var (_, value, children) = exact.Label(s, visits, 0, played: 2, new Random(seed));
            Assert.Equal(solver.Outcome(s), (int)value);
            Assert.Equal(3, children.Count);
            Assert.Equal(3, children.Select(c => string.Join(',', c.Position.LegalMoves())).Distinct().Count());
            foreach (var (child, outcome) in children)
            {
                Assert.Equal(4, child.MovesPlayed);
                Assert.False(child.IsTerminal);
                Assert.True(child.IsLegal(2), "the move played is not among the children");
                Assert.Equal(solver.Outcome(child), (int)outcome);
            }
        }
        Assert.Empty(exact.Label(s, visits, 0, played: 2, rng: null).Children);
    }

    [Fact]
    public void Solver_simulations_set_the_search_of_labelled_positions_only()
    {
        var positions = AllPositions();
        var search = new MctsOptions { Simulations = 32, ParallelLeaves = 1, Solver = false };
        SelfPlay.Result Run(int? labelled) => SelfPlay.Play(new UniformPolicyValue(TicTacToe.Instance), 8, 4, search, 9, new Random(2),
            new SolverTargets(new TicTacToeSolver(), 1.0, 5) { Simulations = labelled });
        var plain = Run(null);
        var few = Run(2);
        int late = few.Examples.Count(e => positions[string.Join(',', e.Planes)].MovesPlayed >= 5), early = few.Examples.Count - late;
        Assert.True(few.Evaluations <= 32L * early + 2L * late, $"{few.Evaluations} evaluations for {early} + {late} positions");
        Assert.True(few.Evaluations > 32L * early / 2, "the early positions keep their 32 simulations");
        Assert.True(plain.Evaluations > few.Evaluations, $"{plain.Evaluations} against {few.Evaluations}");

        var tree = new PuctTree(ConnectFour.Instance.Initial(), search, new Random(1)) { Simulations = 5 };
        BatchedSearch.Run([tree], new UniformPolicyValue(ConnectFour.Instance), 1);
        Assert.Equal(5, tree.Done);
        tree.Simulations = null;
        BatchedSearch.Run([tree], new UniformPolicyValue(ConnectFour.Instance), 1);
        Assert.Equal(32, tree.Done);
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.Simulations = 0);
    }

    /// <summary>Counts the positions of each batch it evaluates.</summary>
    private sealed class BatchSizes(IPolicyValue inner) : IPolicyValue
    {
        public List<int> Sizes { get; } = [];
        public Game Game => inner.Game;
        public void Evaluate(IReadOnlyList<GameState> states, float[] priors, float[] values)
        {
            Sizes.Add(states.Count);
            inner.Evaluate(states, priors, values);
        }
    }

    [Fact]
    public void A_game_whose_search_is_done_moves_on_so_batches_stay_full_when_simulation_counts_differ()
    {
        // 32 simulations before 3 stones, 2 from there: a game never waits for the others' longer searches.
        var search = new MctsOptions { Simulations = 32, ParallelLeaves = 1, Solver = false };
        var net = new BatchSizes(new UniformPolicyValue(TicTacToe.Instance));
        var result = SelfPlay.Play(net, 64, 8, search, 9, new Random(4),
            new SolverTargets(new TicTacToeSolver(), 1.0, 3) { Simulations = 2 });
        Assert.Equal(64, result.Games);
        Assert.Equal(result.Evaluations, net.Sizes.Sum());
        // While 8 games are in flight (all but the last games' tail), every batch holds one leaf of each.
        int full = net.Sizes.Count(n => n == 8);
        Assert.True(full >= net.Sizes.Count * 3 / 4, $"{full} full batches of {net.Sizes.Count}");
    }

    [Fact]
    public void Two_labellers_give_the_same_examples_as_one()
    {
        // Connect Four from 30 stones (cheap solves), each labeller with its own solver: the games go
        // round the labellers, and the labels do not depend on which one did them.
        var search = new MctsOptions { Simulations = 8, ParallelLeaves = 2, DirichletAlpha = 1.0, DirichletEpsilon = 0.25 };
        SelfPlay.Result Run(int labellers) => SelfPlay.Play(new UniformPolicyValue(ConnectFour.Instance), 12, 4, search, 4, new Random(9),
            new SolverTargets(new ConnectFourSolver(131_101), 1.0, 30, () => new ConnectFourSolver(131_101)) { Labellers = labellers, ValueBackfill = true },
            randomOpening: 28);
        var one = Run(1).Examples;
        var two = Run(2).Examples;
        Assert.Equal(one.Count, two.Count);
        for (int i = 0; i < one.Count; i++)
        {
            Assert.Equal(one[i].Planes, two[i].Planes);
            Assert.Equal(one[i].Policy, two[i].Policy);
            Assert.Equal(one[i].Value, two[i].Value);
        }
        Assert.Contains(one, e => e.Policy.Count(p => p > 0) < 7 && e.Policy.Max() >= 0.3f); // some labels came from the solver
        var s = ConnectFour.Instance.FromMoves([3, 3, 3, 3]);
        Assert.Throws<InvalidOperationException>(() => new SolverTargets(new ConnectFourSolver(131_101), 1.0, 30) { Labellers = 2 }.Label(s, new float[7], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SolverTargets(new ConnectFourSolver(131_101), 1.0, 30) { Labellers = 0 });
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
