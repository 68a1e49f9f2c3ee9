namespace HpcLearn.Tasks.Games;

/// <summary>
/// Scores a player against the solver: on positions sampled from random play (non-terminal,
/// within a ply range, and only those where some legal move changes the outcome, so a random
/// move can be wrong), the share where the player's move keeps the position's game-theoretic
/// outcome (win, draw or loss) — the measure of Pons's and AlphaZero.jl's benchmarks.
/// </summary>
public static class Judge
{
    /// <summary>A test set of positions with their optimal moves.</summary>
    public sealed record Position(GameState State, int[] Optimal);

    /// <summary>Samples <paramref name="count"/> informative positions with <paramref name="minPly"/>..<paramref name="maxPly"/> stones.</summary>
    public static List<Position> Sample(Game game, GameSolver solver, int count, int minPly, int maxPly, int seed)
    {
        var rng = new Random(seed);
        var list = new List<Position>();
        var seen = new HashSet<ulong>();
        for (int tries = 0; list.Count < count && tries < count * 50; tries++)
        {
            int ply = rng.Next(minPly, maxPly + 1);
            var s = game.Initial();
            while (!s.IsTerminal && s.MovesPlayed < ply)
            {
                var legal = s.LegalMoves();
                s = s.Play(legal[rng.Next(legal.Length)]);
            }
            if (s.IsTerminal || !seen.Add(s.Key)) continue;
            var outcomes = solver.MoveOutcomes(s);
            int best = outcomes.Max();
            var optimal = Enumerable.Range(0, outcomes.Length).Where(a => outcomes[a] == best).ToArray();
            if (optimal.Length == s.LegalMoves().Length) continue; // every move is as good: nothing to judge
            list.Add(new Position(s, optimal));
        }
        return list;
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
