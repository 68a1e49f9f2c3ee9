namespace HpcLearn.Tasks.Games;

/// <summary>
/// A perfect-play solver: the game-theoretic outcome of any position for the player to move
/// (+1 win, 0 draw, -1 loss), and from it the outcome of each move.
/// </summary>
public abstract class GameSolver
{
    /// <summary>Outcome for the player to move under perfect play: +1, 0 or -1.</summary>
    public abstract int Outcome(GameState state);

    /// <summary>Outcome for the player to move of each action (<see cref="int.MinValue"/> for illegal ones).</summary>
    public int[] MoveOutcomes(GameState state)
    {
        var result = new int[state.Game.ActionCount];
        for (int a = 0; a < result.Length; a++)
        {
            if (!state.IsLegal(a)) { result[a] = int.MinValue; continue; }
            var next = state.Play(a);
            result[a] = next.LastMoveWon ? 1 : next.IsTerminal ? 0 : -Outcome(next);
        }
        return result;
    }

    /// <summary>The actions that keep the best outcome (win, draw or loss).</summary>
    public int[] OptimalMoves(GameState state) => Best(MoveOutcomes(state));

    /// <summary>
    /// The exact score of each action for the player to move (<see cref="int.MinValue"/> for illegal
    /// ones), higher is better: Connect Four's solver scores how soon a win or how late a loss comes;
    /// a solver that knows only outcomes returns <see cref="MoveOutcomes"/>.
    /// </summary>
    public virtual int[] MoveScores(GameState state) => MoveOutcomes(state);

    /// <summary>The actions with the best exact score (fastest win, slowest loss): the measure of exact-score benchmarks.</summary>
    public int[] ExactOptimalMoves(GameState state) => ExactOptimal(state).Moves;

    /// <summary>
    /// The actions with the best exact score and the outcome for the player to move (+1, 0, −1) of
    /// <paramref name="state"/> (not terminal): the same as <see cref="Best"/> of <see cref="MoveScores"/>,
    /// which a solver may find with less work than scoring every move exactly.
    /// </summary>
    public virtual (int[] Moves, int Outcome) ExactOptimal(GameState state)
    {
        var scores = MoveScores(state);
        var best = Best(scores);
        return (best, Math.Sign(scores[best[0]]));
    }

    /// <summary>
    /// The outcome (+1, 0, −1) of the position after each action, for the player to move there
    /// (<see cref="int.MinValue"/> for an illegal action or one that ends the game), given what
    /// <see cref="ExactOptimal"/> found for <paramref name="state"/>: its <paramref name="optimal"/>
    /// moves and <paramref name="outcome"/> (a solver may use them to skip work: <see cref="ChildOutcome"/>).
    /// Only the <paramref name="actions"/> listed are solved (null: all); the others read <see cref="int.MinValue"/>.
    /// </summary>
    public int[] ChildOutcomes(GameState state, int[] optimal, int outcome, int[]? actions = null)
    {
        var result = new int[state.Game.ActionCount];
        for (int a = 0; a < result.Length; a++)
        {
            result[a] = int.MinValue;
            if (!state.IsLegal(a) || (actions is not null && Array.IndexOf(actions, a) < 0)) continue;
            var next = state.Play(a);
            if (!next.IsTerminal) result[a] = ChildOutcome(next, Array.IndexOf(optimal, a) >= 0, outcome);
        }
        return result;
    }

    /// <summary>
    /// The outcome of <paramref name="child"/> (not terminal) for the player to move there, reached by
    /// an optimal move (<paramref name="afterOptimal"/>) or another from a position of
    /// <paramref name="outcome"/>; by default a solve of the child.
    /// </summary>
    protected virtual int ChildOutcome(GameState child, bool afterOptimal, int outcome) => Outcome(child);

    /// <summary>The indices holding the maximum of <paramref name="scores"/>.</summary>
    public static int[] Best(int[] scores)
    {
        int best = scores.Max();
        return Enumerable.Range(0, scores.Length).Where(a => scores[a] == best).ToArray();
    }

    /// <summary>The solver for <paramref name="game"/>.</summary>
    public static GameSolver For(Game game) => game switch
    {
        TicTacToe => new TicTacToeSolver(),
        ConnectFour => new ConnectFourSolver(),
        _ => throw new ArgumentException($"no solver for {game.Name}"),
    };
}
