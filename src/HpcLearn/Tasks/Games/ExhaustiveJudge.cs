using System.Globalization;

namespace HpcLearn.Tasks.Games;

/// <summary>
/// Every line a player can meet, not a sample: the opponent plays every legal move at each of its
/// turns (which covers every perfect opponent and every other one), the player plays each move it
/// may choose at its own (one for a deterministic agent), once as first player and once as second.
/// Each line's result is counted, the first lost line kept, and in every position reached the
/// player's move is checked against the solver: a move whose outcome is worse than the
/// position's (a draw thrown to a loss, a win to a draw) is a mistake, even when the line is
/// later won. Only for tiny games (tic-tac-toe: a few thousand lines); Connect Four has far too many.
/// </summary>
public static class ExhaustiveJudge
{
    /// <summary>The largest board enumerated: 9 cells (tic-tac-toe: at most 9! move orders).</summary>
    public const int MaxCells = 9;

    /// <summary>Whether <paramref name="game"/> is small enough to enumerate.</summary>
    public static bool CanEnumerate(Game game) => game.Cells <= MaxCells;

    /// <summary>The lines of one colour.</summary>
    /// <param name="Lines">Complete games enumerated.</param>
    /// <param name="Wins">Lines the player won.</param>
    /// <param name="Draws">Lines drawn.</param>
    /// <param name="Losses">Lines the player lost.</param>
    /// <param name="FirstLoss">The first lost line in enumeration order (actions from the start, both sides), or null.</param>
    public sealed record Side(long Lines, long Wins, long Draws, long Losses, int[]? FirstLoss);

    /// <summary>A move of the player that is worse than the position allows.</summary>
    /// <param name="Line">The moves that led to the position (the first way it was reached).</param>
    /// <param name="Move">The player's move.</param>
    /// <param name="Optimal">The moves that keep the position's outcome.</param>
    /// <param name="Outcome">The position's outcome for the player (+1 win, 0 draw, -1 loss) under perfect play.</param>
    /// <param name="OutcomeAfter">The outcome after the player's move.</param>
    public sealed record Mistake(int[] Line, int Move, int[] Optimal, int Outcome, int OutcomeAfter);

    /// <summary>Both colours' lines and the mistakes in the positions reached.</summary>
    /// <param name="AsFirst">The player moving first.</param>
    /// <param name="AsSecond">The player moving second.</param>
    /// <param name="Mistakes">Non-optimal moves, each position once, in the order reached.</param>
    /// <param name="Positions">Distinct positions where the player moved.</param>
    public sealed record Result(Side AsFirst, Side AsSecond, IReadOnlyList<Mistake> Mistakes, int Positions)
    {
        /// <summary>Lines of both colours.</summary>
        public long Lines => AsFirst.Lines + AsSecond.Lines;
        /// <summary>Lost lines of both colours.</summary>
        public long Losses => AsFirst.Losses + AsSecond.Losses;
        /// <summary>Positions where at least one of the player's moves is a mistake.</summary>
        public int MistakePositions => Mistakes.Select(m => m.Line).Distinct(LineComparer.Instance).Count();
        /// <summary>Whether no line is lost, whoever the opponent.</summary>
        public bool NeverLoses => Losses == 0;

        /// <summary>The first lost line: as first player if there is one, else as second; null when none.</summary>
        public (int Side, int[] Moves)? FirstLoss =>
            AsFirst.FirstLoss is { } f ? (0, f) : AsSecond.FirstLoss is { } s ? (1, s) : null;

        /// <summary>One line: lines, losses by colour, draws, wins, mistakes, never loses.</summary>
        public string Describe(string player) => string.Format(CultureInfo.InvariantCulture,
            "{0}, every reply of the opponent at each of its turns: {1:N0} lines, lost {2:N0} (as first {3:N0} of {4:N0}, as second {5:N0} of {6:N0}), drew {7:N0}, won {8:N0}; " +
            "non-optimal moves in {9:N0} of {10:N0} positions reached; never loses: {11}",
            player, Lines, Losses, AsFirst.Losses, AsFirst.Lines, AsSecond.Losses, AsSecond.Lines,
            AsFirst.Draws + AsSecond.Draws, AsFirst.Wins + AsSecond.Wins, MistakePositions, Positions, NeverLoses ? "yes" : "no");
    }

    /// <summary>
    /// Enumerates every line of <paramref name="game"/> for <paramref name="player"/> as first and
    /// as second player, judged by <paramref name="solver"/>. The player is asked once per
    /// position (its moves may depend on the position only, as <see cref="IMoveSetPlayer"/> says).
    /// </summary>
    /// <exception cref="ArgumentException">The game has more than <see cref="MaxCells"/> cells.</exception>
    public static Result Run(Game game, IMoveSetPlayer player, GameSolver solver)
    {
        if (!CanEnumerate(game)) throw new ArgumentException($"{game.Name} has {game.Cells} cells; at most {MaxCells} can be enumerated", nameof(game));
        var asked = new Dictionary<ulong, IReadOnlyList<int>>();
        var mistakes = new List<Mistake>();
        var line = new List<int>();

        IReadOnlyList<int> MovesAt(GameState s)
        {
            if (asked.TryGetValue(s.Key, out var known)) return known;
            var moves = player.PossibleMoves(s);
            if (moves.Count == 0) throw new InvalidOperationException($"{player.Name} lists no move after {Format(game, line)}");
            var outcomes = solver.MoveOutcomes(s);
            int best = outcomes.Max();
            foreach (int m in moves)
            {
                if (!s.IsLegal(m)) throw new InvalidOperationException($"{player.Name} chose the illegal move {game.FormatMove(m)} after {Format(game, line)}");
                if (outcomes[m] < best)
                    mistakes.Add(new Mistake([.. line], m, Enumerable.Range(0, outcomes.Length).Where(a => outcomes[a] == best).ToArray(), best, outcomes[m]));
            }
            asked[s.Key] = moves;
            return moves;
        }

        Side Enumerate(int side)
        {
            long wins = 0, draws = 0, losses = 0;
            int[]? firstLoss = null;
            void Walk(GameState s)
            {
                if (s.IsTerminal)
                {
                    if (s.Winner < 0) draws++;
                    else if (s.Winner == side) wins++;
                    else { losses++; firstLoss ??= [.. line]; }
                    return;
                }
                var moves = s.ToMove == side ? MovesAt(s) : s.LegalMoves();
                foreach (int m in moves)
                {
                    line.Add(m);
                    Walk(s.Play(m));
                    line.RemoveAt(line.Count - 1);
                }
            }
            Walk(game.Initial());
            return new Side(wins + draws + losses, wins, draws, losses, firstLoss);
        }

        var first = Enumerate(0);
        var second = Enumerate(1);
        return new Result(first, second, mistakes, asked.Count);
    }

    private sealed class LineComparer : IEqualityComparer<int[]>
    {
        public static readonly LineComparer Instance = new();
        public bool Equals(int[]? a, int[]? b) => a.AsSpan().SequenceEqual(b);
        public int GetHashCode(int[] line) => line.Aggregate(17, (h, m) => h * 31 + m);
    }

    /// <summary>Moves as a human types them, separated by spaces (<c>6 9 7 3 4 1 5</c>).</summary>
    public static string Format(Game game, IReadOnlyCollection<int> moves) => moves.Count == 0 ? "(no moves)" : string.Join(' ', moves.Select(game.FormatMove));
}
