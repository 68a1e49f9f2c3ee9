namespace HpcLearn.Tasks.Games;

/// <summary>Exhaustive minimax over tic-tac-toe, every position's value memoised (there are 5,478).</summary>
public sealed class TicTacToeSolver : GameSolver
{
    private readonly Dictionary<ulong, int> _memo = new();

    /// <summary>Positions solved so far.</summary>
    public int Solved => _memo.Count;

    /// <inheritdoc />
    public override int Outcome(GameState state)
    {
        if (state.IsTerminal) return state.LastMoveWon ? -1 : 0;
        if (_memo.TryGetValue(state.Key, out int v)) return v;
        int best = -1;
        for (int a = 0; a < 9 && best < 1; a++)
            if (state.IsLegal(a)) best = Math.Max(best, -Outcome(state.Play(a)));
        _memo[state.Key] = best;
        return best;
    }
}
