using HpcLearn.Tasks.Games;
using Xunit;

namespace HpcLearn.Tests.Tasks.Games;

public sealed class ConnectFourSolverTests
{
    /// <summary>Random non-terminal positions with <paramref name="stones"/> stones whose side to move cannot win at once either way.</summary>
    private static IEnumerable<(ConnectFourState State, List<int> Moves)> Positions(int count, int stones, int seed)
    {
        var rng = new Random(seed);
        int made = 0;
        while (made < count)
        {
            var s = ConnectFour.Instance.Initial();
            var moves = new List<int>();
            while (!s.IsTerminal && s.MovesPlayed < stones)
            {
                var legal = s.LegalMoves();
                int a = legal[rng.Next(legal.Length)];
                s = s.Play(a);
                moves.Add(a);
            }
            if (s.IsTerminal) continue;
            made++;
            yield return ((ConnectFourState)s, moves);
        }
    }

    [Fact]
    public void Scores_near_the_end_equal_brute_force()
    {
        var solver = new ConnectFourSolver(131_101);
        int nonZero = 0;
        foreach (var (state, moves) in Positions(40, 33, seed: 11))
        {
            var reference = new ArrayConnectFour();
            foreach (int a in moves) reference.Play(a);
            int expected = reference.BruteForceScore();
            Assert.Equal(expected, solver.Solve(state));
            Assert.Equal(Math.Sign(expected), Math.Sign(solver.Solve(state, weak: true)));
            Assert.Equal(Math.Sign(expected), solver.Outcome(state));
            if (expected != 0) nonZero++;
        }
        Assert.True(nonZero >= 5, $"only {nonZero} decided positions: the sample does not test much");
    }

    [Fact]
    public void Known_positions_from_the_middle_game()
    {
        var solver = new ConnectFourSolver(1_048_573);
        // Three in the bottom row with both ends open: the mover (O) cannot stop the win.
        var open = ConnectFour.Instance.FromMoves([2, 2, 3, 3, 4]);
        Assert.Equal(-1, solver.Outcome(open));
        // The mover wins at once: score (43 - 6) / 2 = 18.
        var immediate = ConnectFour.Instance.FromMoves([2, 2, 3, 3, 4, 4]);
        Assert.Equal(18, solver.Solve(immediate));
        var outcomes = solver.MoveOutcomes(immediate);
        Assert.Equal(1, outcomes[1]);
        Assert.Equal(1, outcomes[5]);
    }

    [Fact]
    public void Optimal_moves_follow_the_move_outcomes()
    {
        var solver = new ConnectFourSolver(131_101);
        foreach (var (state, _) in Positions(5, 30, seed: 3))
        {
            var outcomes = solver.MoveOutcomes(state);
            int best = outcomes.Max();
            Assert.Equal(solver.Outcome(state), best);
            Assert.All(solver.OptimalMoves(state), a => Assert.Equal(best, outcomes[a]));
        }
    }

    [Fact]
    public void Exact_move_scores_near_the_end_equal_brute_force()
    {
        var solver = new ConnectFourSolver(131_101);
        int checkedMoves = 0;
        foreach (var (state, moves) in Positions(25, 32, seed: 21))
        {
            var scores = solver.MoveScores(state);
            for (int col = 0; col < 7; col++)
            {
                if (!state.IsLegal(col)) { Assert.Equal(int.MinValue, scores[col]); continue; }
                var reference = new ArrayConnectFour();
                foreach (int a in moves) reference.Play(a);
                reference.Play(col);
                // The move's score is the negated score of the position it leads to; a winning move scores (43 - stones before it) / 2.
                int expected = reference.LastMoveWon ? (43 - moves.Count) / 2 : reference.IsTerminal ? 0 : -reference.BruteForceScore();
                Assert.Equal(expected, scores[col]);
                checkedMoves++;
            }
            Assert.Equal(solver.Solve(state), scores.Max());
        }
        Assert.True(checkedMoves > 100);
    }

    [Fact]
    public void Exact_optimal_moves_equal_the_best_of_every_exact_move_score()
    {
        // The fast path (one exact solve, one null-window test per move) against scoring every move
        // exactly, on a separate solver and table; positions from 14 stones (where self-play's
        // solver targets start) to 38, and positions where the mover can win at once.
        var fast = new ConnectFourSolver(1_048_573);
        var oracle = new ConnectFourSolver(1_048_573);
        int positions = 0, severalBest = 0, lost = 0;
        foreach (int stones in new[] { 14, 18, 22, 26, 30, 34, 38 })
            foreach (var (state, _) in Positions(30, stones, seed: 100 + stones))
            {
                var scores = oracle.MoveScores(state);
                var expected = GameSolver.Best(scores);
                var (moves, outcome) = fast.ExactOptimal(state);
                Assert.Equal(expected, moves);
                Assert.Equal(Math.Sign(scores[expected[0]]), outcome);
                Assert.Equal(expected, fast.ExactOptimalMoves(state));
                positions++;
                if (expected.Length > 1) severalBest++;
                if (outcome < 0) lost++;
            }
        Assert.Equal(210, positions);
        Assert.True(severalBest >= 20 && lost >= 20, $"{severalBest} positions with several best moves, {lost} lost: the sample does not test much");
    }

    [Fact]
    public void Scores_of_the_published_examples()
    {
        // The two positions of the reference solver's test protocol (blog.gamesolver.org, part 2):
        // "4455" scores 18 (the mover wins with its 4th stone), "44455554221" scores -15.
        var solver = new ConnectFourSolver(131_101);
        Assert.Equal(18, solver.Solve(ConnectFour.Instance.FromMoves([3, 3, 4, 4])));
        Assert.Equal(-15, solver.Solve(ConnectFour.Instance.FromMoves([3, 3, 3, 4, 4, 4, 4, 3, 1, 1, 0])));
    }

    [Fact]
    public void The_table_refuses_sizes_where_partial_keys_would_collide()
    {
        // 32-bit partial keys identify a 49-bit key only when the slot count is odd and above 2^17.
        Assert.Throws<ArgumentOutOfRangeException>(() => new TranspositionTable(65_537));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TranspositionTable(262_144));
        var table = new TranspositionTable(131_101);
        ulong a = 12_345;
        table.Put(a, 7);
        Assert.Equal(7, table.Get(a));
        Assert.Equal(0, table.Get(a + 131_101));   // same slot, other low bits
        Assert.Equal(0, table.Get(a + (1UL << 32))); // same low bits, other slot
    }
    [Fact]
    public void Child_outcomes_equal_a_solve_of_each_child()
    {
        // ChildOutcomes skips the solves that ExactOptimal's answer settles; the oracle solves every
        // child on its own (the outcome of the move for the mover, negated: the player to move there).
        var solver = new ConnectFourSolver(1_048_573);
        var oracle = new ConnectFourSolver(1_048_573);
        int won = 0, solved = 0;
        for (int stones = 14; stones <= 30; stones += 4)
            foreach (var (state, _) in Positions(12, stones, seed: stones))
            {
                var (optimal, outcome) = solver.ExactOptimal(state);
                var children = solver.ChildOutcomes(state, optimal, outcome);
                var moves = oracle.MoveOutcomes(state);
                for (int col = 0; col < 7; col++)
                {
                    bool counted = state.IsLegal(col) && !state.Play(col).IsTerminal;
                    Assert.Equal(counted ? -moves[col] : int.MinValue, children[col]);
                    if (counted) solved++;
                }
                if (outcome > 0) won++;
                // Only the actions asked for are solved.
                var some = solver.ChildOutcomes(state, optimal, outcome, [3]);
                for (int col = 0; col < 7; col++) Assert.Equal(col == 3 ? children[3] : int.MinValue, some[col]);
            }
        Assert.True(won >= 10 && solved >= 250, $"{won} won positions, {solved} children");
    }

    [Fact]
    public void Tic_tac_toe_child_outcomes_equal_the_move_outcomes_in_every_position()
    {
        var solver = new TicTacToeSolver();
        var stack = new Stack<GameState>([TicTacToe.Instance.Initial()]);
        var seen = new HashSet<string>();
        int positions = 0;
        while (stack.Count > 0)
        {
            var s = stack.Pop();
            var planes = new float[Game.Planes * 9];
            s.Encode(planes);
            if (s.IsTerminal || !seen.Add(string.Join(',', planes))) continue;
            positions++;
            var (optimal, outcome) = solver.ExactOptimal(s);
            var children = solver.ChildOutcomes(s, optimal, outcome);
            var moves = solver.MoveOutcomes(s);
            for (int a = 0; a < 9; a++)
                Assert.Equal(s.IsLegal(a) && !s.Play(a).IsTerminal ? -moves[a] : int.MinValue, children[a]);
            foreach (int a in s.LegalMoves()) stack.Push(s.Play(a));
        }
        Assert.Equal(4_520, positions); // the 5,478 positions reachable in play less the 958 finished ones
    }
}
