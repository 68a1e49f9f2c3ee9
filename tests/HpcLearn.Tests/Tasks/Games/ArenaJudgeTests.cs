using HpcLearn.Tasks.Games;
using Xunit;

namespace HpcLearn.Tests.Tasks.Games;

public sealed class ArenaJudgeTests
{
    [Fact]
    public void Perfect_players_draw_every_game_and_never_lose_to_random()
    {
        var solver = new TicTacToeSolver();
        var draws = Arena.Play(TicTacToe.Instance, new SolverPlayer(solver, 1), new SolverPlayer(solver, 2), 20);
        Assert.Equal(20, draws.Draws);
        Assert.Equal(0.5, draws.Score);
        var vsRandom = Arena.Play(TicTacToe.Instance, new SolverPlayer(solver, 1), new RandomPlayer(3), 40);
        Assert.Equal(0, vsRandom.Losses);
        Assert.True(vsRandom.Wins > 25, vsRandom.Describe("solver", "random"));
        Assert.Equal(20, vsRandom.AsFirst.Wins + vsRandom.AsFirst.Draws);
    }

    [Fact]
    public void Score_interval_is_the_normal_approximation()
    {
        var r = new ArenaResult { AsFirst = (6, 2, 2), AsSecond = (4, 2, 4) };
        Assert.Equal(20, r.Games);
        Assert.Equal(0.6, r.Score, 12);
        // per-game scores: 10 ones, 4 halves, 6 zeros; sample variance = (10·0.16 + 4·0.01 + 6·0.36) / 19 = 3.8 / 19
        double half = 1.96 * Math.Sqrt(3.8 / 19 / 20);
        Assert.Equal(0.6 - half, r.ScoreInterval.Low, 12);
        Assert.Equal(0.6 + half, r.ScoreInterval.High, 12);
        Assert.Contains("won 10, drew 4, lost 6", r.Describe("a", "b"));
    }

    [Fact]
    public void Judge_gives_the_solver_full_marks_and_random_about_its_expected_share()
    {
        var solver = new TicTacToeSolver();
        var set = Judge.Sample(TicTacToe.Instance, solver, 100, 1, 7, seed: 4);
        Assert.Equal(100, set.Count);
        Assert.All(set, p => Assert.True(p.Optimal.Length < p.State.LegalMoves().Length));
        Assert.Equal(1.0, Judge.Score(new SolverPlayer(solver, 0), set));
        double expected = set.Average(p => (double)p.Optimal.Length / p.State.LegalMoves().Length);
        Assert.Equal(expected, Judge.RandomShare(set));
        Assert.InRange(Judge.Score(new RandomPlayer(9), set), expected - 0.15, expected + 0.15);
    }

    [Fact]
    public void The_random_baseline_is_the_expected_share_of_optimal_moves()
    {
        // After X in the centre, O's only non-losing replies are the four corners: 4 of 8 legal moves.
        var afterCentre = TicTacToe.Instance.Initial().Play(4);
        var solver = new TicTacToeSolver();
        var outcomes = solver.MoveOutcomes(afterCentre);
        var optimal = Enumerable.Range(0, 9).Where(a => outcomes[a] == outcomes.Max()).ToArray();
        Assert.Equal([0, 2, 6, 8], optimal);
        // After X in a corner, O must take the centre: 1 of 8.
        var afterCorner = TicTacToe.Instance.Initial().Play(0);
        var o2 = solver.MoveOutcomes(afterCorner);
        var optimal2 = Enumerable.Range(0, 9).Where(a => o2[a] == o2.Max()).ToArray();
        Assert.Equal([4], optimal2);
        var set = new List<Judge.Position> { new(afterCentre, optimal), new(afterCorner, optimal2) };
        Assert.Equal((4.0 / 8 + 1.0 / 8) / 2, Judge.RandomShare(set), 12);
        Assert.True(double.IsNaN(Judge.RandomShare([])));
    }

    [Fact]
    public void Judge_samples_connect_four_middle_games()
    {
        var set = Judge.Sample(ConnectFour.Instance, new ConnectFourSolver(1_048_573), 5, 20, 24, seed: 1);
        Assert.Equal(5, set.Count);
        Assert.All(set, p => Assert.InRange(p.State.MovesPlayed, 20, 24));
    }

    [Fact]
    public void A_human_typing_nonsense_and_illegal_moves_is_asked_again()
    {
        // Human X: "x" (not a move), 1, 1 again (taken), 0 (out of range), 2, 3; the agent answers 4, 5.
        var input = new StringReader("x\n1\n1\n0\n2\n3\n");
        var output = new StringWriter();
        int winner = HumanPlay.Run(TicTacToe.Instance, new ScriptedPlayer(4, 5), humanFirst: true, input, output)!.Value;
        Assert.Equal(0, winner); // X took the top row
        string text = output.ToString();
        Assert.Contains("'x' is not a move", text);
        Assert.Contains("1 cannot be played: that cell is taken", text);
        Assert.Contains("'0' is not a move", text);
        Assert.Contains("you win", text);
        Assert.Null(HumanPlay.Run(TicTacToe.Instance, new ScriptedPlayer(0), true, new StringReader("5\n"), new StringWriter())); // input ends: abandoned
    }

    [Fact]
    public void Piped_moves_are_echoed_so_each_board_starts_on_its_own_line()
    {
        // X plays 1, 2, 3 (top row) against 4, 5; the input is not a terminal, so nothing else echoes it.
        var output = new StringWriter { NewLine = "\n" };
        HumanPlay.Run(TicTacToe.Instance, new ScriptedPlayer(3, 4), humanFirst: true, new StringReader("1\n2\n3\n"), output, echoInput: true);
        string text = output.ToString();
        Assert.Contains("top to bottom): 1\nagent plays", text);
        Assert.Contains("top to bottom): 3\nX X X\n", text);
        Assert.EndsWith("X X X\nO O 6\n7 8 9\nyou win\n", text);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, "X X X"));
        Assert.DoesNotMatch(@"\): [XO.1-9] [XO.1-9]", text);
    }

    [Fact]
    public void Policy_share_counts_the_positions_where_the_most_probable_legal_move_is_optimal()
    {
        var set = Judge.Sample(TicTacToe.Instance, new TicTacToeSolver(), 40, 1, 7, seed: 4);
        // A policy that puts its mass on the first optimal move is always right; on the first
        // non-optimal legal move, never; illegal moves with more mass are not counted as its choice.
        var right = set.ToDictionary(p => p.State.Key, p => p.Optimal[0]);
        var wrong = set.ToDictionary(p => p.State.Key, p => p.State.LegalMoves().First(a => !p.Optimal.Contains(a)));
        Assert.Equal(1.0, Judge.PolicyShare(new FixedPolicy(right), set));
        Assert.Equal(0.0, Judge.PolicyShare(new FixedPolicy(wrong), set));
        Assert.True(double.IsNaN(Judge.PolicyShare(new FixedPolicy(right), [])));
    }

    /// <summary>Mass 1 on a chosen move per position, 5 on every illegal move.</summary>
    private sealed class FixedPolicy(Dictionary<ulong, int> moves) : IPolicyValue
    {
        public Game Game => TicTacToe.Instance;

        public void Evaluate(IReadOnlyList<GameState> states, float[] priors, float[] values)
        {
            int actions = Game.ActionCount;
            for (int i = 0; i < states.Count; i++)
            {
                var legal = states[i].LegalMoves();
                for (int a = 0; a < actions; a++) priors[i * actions + a] = legal.Contains(a) ? 0f : 5f;
                priors[i * actions + moves[states[i].Key]] = 1f;
            }
        }
    }

    private sealed class ScriptedPlayer(params int[] moves) : IPlayer
    {
        private int _next;
        public string Name => "scripted";
        public int ChooseMove(GameState state) => moves[_next++];
    }
}
