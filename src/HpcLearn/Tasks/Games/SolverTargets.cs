namespace HpcLearn.Tasks.Games;

/// <summary>
/// Exact training targets from the perfect solver for self-play positions with at least
/// <see cref="FromStones"/> stones: the value target is the position's game-theoretic outcome for
/// the player to move (not the result of the one game it came from), and the policy target moves
/// <see cref="PolicyMix"/> of the search's visit distribution onto the moves with the best exact
/// score (equal shares). Positions with fewer stones keep the visits and the game's result.
/// Self-play still chooses which positions are seen and what is played. Tic-tac-toe's solver
/// answers in microseconds, so every position is labelled; Connect Four's takes tens of ms at 14
/// stones and seconds below 10, so only the later positions are (docs/games.md).
/// </summary>
public sealed class SolverTargets(GameSolver solver, double policyMix, int fromStones, Func<GameSolver>? anotherSolver = null)
{
    private GameSolver[]? _solvers;
    private readonly int _labellers = 1;

    /// <summary>
    /// Labellers that work at once, each on whole games with a solver of its own (a Connect Four
    /// solver holds a 42 MB table): at least 1; more than 1 needs <c>anotherSolver</c>. Default 1.
    /// </summary>
    public int Labellers
    {
        get => _labellers;
        init => _labellers = value < 1 ? throw new ArgumentOutOfRangeException(nameof(value), "at least one labeller") : value;
    }

    /// <summary>Share of the policy target given to the optimal moves, in [0, 1].</summary>
    public double PolicyMix => policyMix;

    /// <summary>Positions with at least this many stones get the solver's targets.</summary>
    public int FromStones => fromStones;

    /// <summary>
    /// Simulations per move of self-play in the positions these targets apply to (null: the
    /// search's own). Their search only chooses the move played, not the target, so fewer suffice,
    /// and the time saved can go to the earlier positions, whose targets are the search's.
    /// </summary>
    public int? Simulations { get; init; }

    /// <summary>
    /// Positions before a game's first labelled one take that position's exact outcome (for their
    /// own player) as value target instead of the game's result: the result of perfect play from
    /// there on, not of the rest of that one game.
    /// </summary>
    public bool ValueBackfill { get; init; }

    /// <summary>
    /// The positions of a game's random opening that these targets apply to are training examples
    /// too (labelled like the rest; their policy target's search part is uniform over the legal
    /// moves, since no search chose the opening's moves).
    /// </summary>
    public bool OpeningPositions { get; init; }

    /// <summary>
    /// Positions after other moves than the one played that each labelled position adds as
    /// value-only examples (at most this many, drawn at random among the moves that do not end the
    /// game): their exact outcome as value target and no policy target. They show the network the
    /// positions a mistake leads to, which self-play, playing well, rarely reaches. Default 0.
    /// </summary>
    public int ChildValues { get; init; }

    /// <summary>Whether <paramref name="state"/> gets the solver's targets.</summary>
    public bool Applies(GameState state) => state.MovesPlayed >= fromStones;

    /// <summary>
    /// The policy and value targets of <paramref name="state"/> (not terminal) from the search's
    /// <paramref name="visits"/> (summing to 1), found with labeller <paramref name="labeller"/>'s solver
    /// (0 to <see cref="Labellers"/> − 1; the others are made at the first call). A labeller is not
    /// thread-safe (its solver's table): one thread per labeller at a time.
    /// </summary>
    public (float[] Policy, float Value) Label(GameState state, float[] visits, int labeller = 0)
    {
        var (pi, value, _) = Label(state, visits, labeller, played: -1, rng: null);
        return (pi, value);
    }

    /// <summary>
    /// As <see cref="Label(GameState, float[], int)"/>, with up to <see cref="ChildValues"/> positions
    /// after moves other than <paramref name="played"/> (−1: none was) and their exact outcome for
    /// the player to move there, drawn with <paramref name="rng"/> (none without one).
    /// </summary>
    public (float[] Policy, float Value, List<(GameState Position, float Value)> Children) Label(GameState state, float[] visits, int labeller, int played, Random? rng)
    {
        var solvers = LazyInitializer.EnsureInitialized(ref _solvers, () => [solver, .. Enumerable.Range(1, _labellers - 1).Select(_ =>
            anotherSolver?.Invoke() ?? throw new InvalidOperationException("more than one labeller needs a way to make another solver"))]);
        var (optimal, outcome) = solvers[labeller].ExactOptimal(state);
        var pi = new float[visits.Length];
        float keep = (float)(1 - policyMix);
        for (int a = 0; a < pi.Length; a++) pi[a] = keep * visits[a];
        float share = (float)policyMix / optimal.Length;
        foreach (int a in optimal) pi[a] += share;
        var children = new List<(GameState, float)>();
        if (ChildValues > 0 && rng is not null)
        {
            var after = state.LegalMoves().Where(a => a != played).Select(a => (Move: a, Position: state.Play(a))).Where(c => !c.Position.IsTerminal).ToArray();
            rng.Shuffle(after);
            if (after.Length > ChildValues) after = after[..ChildValues];
            if (after.Length > 0)
            {
                var outcomes = solvers[labeller].ChildOutcomes(state, optimal, outcome, after.Select(c => c.Move).ToArray());
                foreach (var (a, position) in after) children.Add((position, outcomes[a]));
            }
        }
        return (pi, outcome, children);
    }
}
