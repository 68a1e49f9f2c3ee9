namespace HpcLearn.Tasks.Games;

/// <summary>
/// Exact training targets for a game small enough to solve as it is played (tic-tac-toe): the
/// value target of a self-play position is its game-theoretic outcome for the player to move,
/// not the result of the one game it came from, and the policy target moves
/// <paramref name="policyMix"/> of the search's visit distribution onto the solver's optimal moves
/// (equal shares). Self-play still chooses which positions are seen and what is played.
/// </summary>
public sealed class SolverTargets(GameSolver solver, double policyMix)
{
    /// <summary>Share of the policy target given to the optimal moves, in [0, 1].</summary>
    public double PolicyMix => policyMix;

    /// <summary>The outcome of <paramref name="state"/> for the player to move: +1, 0 or -1.</summary>
    public float Value(GameState state) => solver.Outcome(state);

    /// <summary>The policy target for <paramref name="state"/> from the search's <paramref name="visits"/> (summing to 1); a new array.</summary>
    public float[] Policy(GameState state, float[] visits)
    {
        var pi = new float[visits.Length];
        float keep = (float)(1 - policyMix);
        for (int a = 0; a < pi.Length; a++) pi[a] = keep * visits[a];
        if (policyMix == 0) return pi;
        var optimal = solver.OptimalMoves(state);
        float share = (float)policyMix / optimal.Length;
        foreach (int a in optimal) pi[a] += share;
        return pi;
    }
}
