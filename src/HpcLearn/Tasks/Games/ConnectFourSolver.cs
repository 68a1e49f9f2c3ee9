using static HpcLearn.Tasks.Games.ConnectFourBits;

namespace HpcLearn.Tasks.Games;

/// <summary>
/// Connect Four solver after Pascal Pons's: bitboard negamax with alpha–beta, a transposition
/// table of upper and lower bounds (a move that fails high stores its score as a lower bound), move ordering (the move making the most new threats first, ties broken
/// centre first), pruning of moves that hand the opponent an immediate win, and iterative
/// deepening of the score window (null-window searches that bisect [min, max] towards 0).
/// Scores: (43 − stones of the winner at the end) / 2 for a win (positive = the mover wins,
/// sooner is higher), 0 for a draw.
/// </summary>
public sealed class ConnectFourSolver : GameSolver
{
    private const int Cells = Width * Height;
    private const int MinScore = -Cells / 2 + 3;
    private const int MaxScore = (Cells + 1) / 2 - 3;
    // Table values: an upper bound b is stored as b − MinScore + 1 (1..37), a lower bound as b + LowerOffset (38..74).
    private const int LowerOffset = MaxScore - 2 * MinScore + 2;
    private static readonly int[] Order = [3, 2, 4, 1, 5, 0, 6];
    private readonly TranspositionTable _table;

    /// <summary>The default table: the first prime above 2^23 slots (42 MB), as in the reference solver.</summary>
    public const int DefaultTableSize = 8_388_617;

    /// <summary>Creates a solver with a transposition table of <paramref name="tableSize"/> slots (a prime above 2^17).</summary>
    public ConnectFourSolver(int tableSize = DefaultTableSize) => _table = new TranspositionTable(tableSize);

    /// <summary>Empties the transposition table (the answers do not change; only the work to find them).</summary>
    public void Clear() => _table.Clear();

    /// <summary>Positions searched so far.</summary>
    public long Nodes { get; private set; }

    /// <summary>
    /// Asked every 2²⁰ positions; true aborts the solve with an <see cref="OperationCanceledException"/>
    /// (the opening can take a long time). Default null: never stop.
    /// </summary>
    public Func<bool>? Stop { get; init; }

    /// <inheritdoc />
    public override int Outcome(GameState state) => Math.Sign(Solve(state, weak: true));

    /// <summary>
    /// The score of <paramref name="state"/> for the player to move; with <paramref name="weak"/>
    /// only its sign is exact (win, draw or loss), which is much faster.
    /// </summary>
    public int Solve(GameState state, bool weak = false)
    {
        var s = (ConnectFourState)state;
        if (s.IsTerminal) return s.LastMoveWon ? -(Cells + 1 - s.MovesPlayed + 1) / 2 : 0;
        return Solve(s.Current, s.Mask, s.MovesPlayed, weak);
    }

    /// <summary>
    /// The exact score of each move for the player to move (<see cref="int.MinValue"/> for an illegal
    /// one): a move that wins at once scores (43 − moves played) / 2, any other the negated score of
    /// the position it leads to. The moves with the highest score are the exactly optimal ones
    /// (fastest win, slowest loss); <see cref="GameSolver.OptimalMoves"/> keeps every move of the
    /// best outcome instead.
    /// </summary>
    public override int[] MoveScores(GameState state)
    {
        var s = (ConnectFourState)state;
        var result = new int[Width];
        for (int col = 0; col < Width; col++)
        {
            if (!s.IsLegal(col)) { result[col] = int.MinValue; continue; }
            var next = (ConnectFourState)s.Play(col);
            result[col] = next.LastMoveWon ? (Cells + 1 - s.MovesPlayed) / 2 : next.IsTerminal ? 0 : -Solve(next);
        }
        return result;
    }

    /// <summary>
    /// The moves with the best exact score, found with one exact solve of the position (score S) and
    /// one null-window search per move (a move is optimal when the position it leads to scores at
    /// most −S for the opponent), rather than an exact solve of every move as
    /// <see cref="MoveScores"/> does (self-play iterations that label from 12 stones: 12 s instead of 18 s, docs/games.md).
    /// </summary>
    public override (int[] Moves, int Outcome) ExactOptimal(GameState state)
    {
        var s = (ConnectFourState)state;
        if (s.IsTerminal) throw new ArgumentException("the game is over: no move to choose", nameof(state));
        ulong wins = WinningCells(s.Current, s.Mask) & Playable(s.Mask);
        var best = new List<int>(Width);
        if (wins != 0)
        {
            for (int col = 0; col < Width; col++) if ((wins & ColumnOf(col)) != 0) best.Add(col);
            return (best.ToArray(), 1);
        }
        int score = Solve(s.Current, s.Mask, s.MovesPlayed, weak: false);
        for (int col = 0; col < Width; col++)
        {
            if (!s.IsLegal(col)) continue;
            var next = (ConnectFourState)s.Play(col);
            bool optimal;
            if (next.IsTerminal) optimal = score == 0;
            else if ((WinningCells(next.Current, next.Mask) & Playable(next.Mask)) != 0)
                optimal = -((Cells + 1 - next.MovesPlayed) / 2) == score;
            else
                optimal = Negamax(next.Current, next.Mask, next.MovesPlayed, -score, -score + 1) <= -score;
            if (optimal) best.Add(col);
        }
        return (best.ToArray(), Math.Sign(score));
    }

    /// <summary>
    /// Solves only where <see cref="ExactOptimal"/> left the outcome open: after an optimal move the
    /// opponent's outcome is the negated one; a drawn or lost position's other moves leave the
    /// opponent a win (each scores worse than the best); only a won position's other moves (a slower
    /// win, a draw or a loss) take a weak solve.
    /// </summary>
    protected override int ChildOutcome(GameState child, bool afterOptimal, int outcome) =>
        afterOptimal ? -outcome : outcome <= 0 ? 1 : Math.Sign(Solve(child, weak: true));

    private int Solve(ulong current, ulong mask, int moves, bool weak)
    {
        if ((WinningCells(current, mask) & Playable(mask)) != 0) return (Cells + 1 - moves) / 2;
        int min = -(Cells - moves) / 2, max = (Cells + 1 - moves) / 2;
        if (weak) { min = -1; max = 1; }
        while (min < max)
        {
            int med = min + (max - min) / 2;
            if (med <= 0 && min / 2 < med) med = min / 2;
            else if (med >= 0 && max / 2 > med) med = max / 2;
            int r = Negamax(current, mask, moves, med, med + 1);
            if (r <= med) max = r; else min = r;
        }
        return min;
    }

    // Precondition: the player to move cannot win at once (the caller checked or pruned that).
    private int Negamax(ulong current, ulong mask, int moves, int alpha, int beta)
    {
        if ((++Nodes & ((1 << 20) - 1)) == 0 && Stop?.Invoke() == true) throw new OperationCanceledException($"solve stopped after {Nodes:N0} positions");
        ulong next = NonLosingMoves(current, mask);
        if (next == 0) return -(Cells - moves) / 2;
        if (moves >= Cells - 2) return 0;
        int min = -(Cells - 2 - moves) / 2;
        if (alpha < min) { alpha = min; if (alpha >= beta) return alpha; }
        int max = (Cells - 1 - moves) / 2;
        int stored = _table.Get(current + mask);
        if (stored > MaxScore - MinScore + 1)
        {
            int lower = stored - LowerOffset;
            if (alpha < lower) { alpha = lower; if (alpha >= beta) return alpha; }
        }
        else if (stored != 0) max = stored + MinScore - 1;
        if (beta > max) { beta = max; if (alpha >= beta) return beta; }

        // Order: most winning cells created first; among equals, centre first (insertion sort is stable).
        Span<ulong> cand = stackalloc ulong[Width];
        Span<int> score = stackalloc int[Width];
        int n = 0;
        for (int i = Width - 1; i >= 0; i--)
        {
            ulong move = next & ColumnOf(Order[i]);
            if (move == 0) continue;
            int sc = Count(WinningCells(current | move, mask));
            int pos = n++;
            for (; pos > 0 && score[pos - 1] > sc; pos--) { cand[pos] = cand[pos - 1]; score[pos] = score[pos - 1]; }
            cand[pos] = move; score[pos] = sc;
        }
        for (int k = n - 1; k >= 0; k--)
        {
            ulong m2 = mask | cand[k];
            int s = -Negamax(current ^ mask, m2, moves + 1, -beta, -alpha);
            if (s >= beta) { _table.Put(current + mask, s + LowerOffset); return s; }
            if (s > alpha) alpha = s;
        }
        _table.Put(current + mask, alpha - MinScore + 1);
        return alpha;
    }

    private static ulong NonLosingMoves(ulong current, ulong mask)
    {
        ulong possible = Playable(mask);
        ulong opponentWin = WinningCells(current ^ mask, mask);
        ulong forced = possible & opponentWin;
        if (forced != 0)
        {
            if ((forced & (forced - 1)) != 0) return 0; // two threats: lost
            possible = forced;
        }
        return possible & ~(opponentWin >> 1); // never play just below the opponent's winning cell
    }
}
