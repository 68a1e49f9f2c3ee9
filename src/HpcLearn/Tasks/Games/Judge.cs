namespace HpcLearn.Tasks.Games;

/// <summary>
/// Scores a player against the solver: on positions sampled from random play (non-terminal,
/// distinct, within a ply range), the share where the player's move is optimal by the solver's
/// exact score — for Connect Four the fastest win or the slowest loss, as the reference solver's
/// benchmarks score it; for tic-tac-toe, whose solver knows outcomes only, keeping the win, draw
/// or loss. Two sets (<see cref="JudgeSet"/>): <c>easy</c> keeps positions where at least one
/// move changes the outcome; <c>hard</c> keeps only positions where exactly one move keeps the
/// outcome, neither side can win at once (no forced block, no win in one), and so the one good
/// move has to be found by reading ahead.
/// </summary>
public static class Judge
{
    /// <summary>A test set of positions with their optimal moves.</summary>
    public sealed record Position(GameState State, int[] Optimal);

    /// <summary>
    /// Samples <paramref name="count"/> positions of <paramref name="set"/> with
    /// <paramref name="minPly"/>..<paramref name="maxPly"/> stones (fewer when random play rarely
    /// reaches such positions: at most 50 tries per position for <c>easy</c>, 400 for <c>hard</c>).
    /// </summary>
    public static List<Position> Sample(Game game, GameSolver solver, int count, int minPly, int maxPly, int seed, JudgeSet set = JudgeSet.Easy)
    {
        var rng = new Random(seed);
        var list = new List<Position>();
        var seen = new HashSet<ulong>();
        int maxTries = count * (set == JudgeSet.Hard ? 400 : 50);
        for (int tries = 0; list.Count < count && tries < maxTries; tries++)
        {
            int ply = rng.Next(minPly, maxPly + 1);
            var s = game.Initial();
            while (!s.IsTerminal && s.MovesPlayed < ply)
            {
                var legal = s.LegalMoves();
                s = s.Play(legal[rng.Next(legal.Length)]);
            }
            if (s.IsTerminal || !seen.Add(s.Key)) continue;
            if (set == JudgeSet.Hard && Tactical(s)) continue;
            var keeping = GameSolver.Best(solver.MoveOutcomes(s)); // the moves that keep the outcome
            int legalCount = s.LegalMoves().Length;
            if (keeping.Length == legalCount) continue; // every move keeps it: a random move cannot be wrong
            if (set == JudgeSet.Hard && keeping.Length != 1) continue;
            // The exact-score optimal moves are among those keeping the outcome: with one, it is the one.
            var optimal = keeping.Length == 1 ? keeping : solver.ExactOptimalMoves(s);
            list.Add(new Position(s, optimal));
        }
        return list;
    }

    /// <summary>Whether the mover can win at once or must block an immediate win (a one-move answer, not a judge of reading ahead).</summary>
    private static bool Tactical(GameState s)
    {
        foreach (int a in s.LegalMoves())
            if (s.Play(a).LastMoveWon) return true;
        return s switch
        {
            ConnectFourState c => (ConnectFourBits.WinningCells(c.Current ^ c.Mask, c.Mask) & ConnectFourBits.Playable(c.Mask)) != 0,
            TicTacToeState t => TicTacToeState.Threatens(t.ToMove == 0 ? t.O : t.X, t.X | t.O),
            _ => false,
        };
    }

    /// <summary>The share of <paramref name="positions"/> where <paramref name="player"/> picks an optimal move.</summary>
    public static double Score(IPlayer player, IReadOnlyList<Position> positions)
    {
        if (positions.Count == 0) return double.NaN;
        int good = positions.Count(p => p.Optimal.Contains(player.ChooseMove(p.State)));
        return (double)good / positions.Count;
    }

    /// <summary>
    /// The share of <paramref name="positions"/> where the policy of <paramref name="net"/> alone
    /// (its most probable legal move, no search) is optimal: one batched forward pass, cheap
    /// enough to judge the best network after every iteration; NaN without positions.
    /// </summary>
    public static double PolicyShare(IPolicyValue net, IReadOnlyList<Position> positions)
    {
        if (positions.Count == 0) return double.NaN;
        int actions = net.Game.ActionCount;
        var priors = new float[positions.Count * actions];
        net.Evaluate(positions.Select(p => p.State).ToList(), priors, new float[positions.Count]);
        int good = 0;
        for (int i = 0; i < positions.Count; i++)
        {
            int row = i * actions;
            int move = positions[i].State.LegalMoves().MaxBy(a => priors[row + a]);
            if (positions[i].Optimal.Contains(move)) good++;
        }
        return (double)good / positions.Count;
    }

    /// <summary>
    /// The share a uniformly random legal move gets, in expectation (optimal moves / legal moves,
    /// averaged over the positions): the baseline beside <see cref="Score"/>, exact rather than one noisy draw.
    /// </summary>
    public static double RandomShare(IReadOnlyList<Position> positions) =>
        positions.Count == 0 ? double.NaN : positions.Average(p => (double)p.Optimal.Length / p.State.LegalMoves().Length);

    /// <summary>The ply range sampled for <paramref name="game"/>: the middle game.</summary>
    public static (int Min, int Max) DefaultPlies(Game game) => game is ConnectFour ? (10, 24) : (1, 7);
}

/// <summary>Which positions <see cref="Judge.Sample"/> keeps.</summary>
public enum JudgeSet
{
    /// <summary>At least one legal move changes the outcome.</summary>
    Easy,
    /// <summary>Exactly one move keeps the outcome, and no side can win at once.</summary>
    Hard,
}
