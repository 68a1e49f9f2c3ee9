namespace HpcLearn.Tasks.Games;

/// <summary>Perfect play: a random move among those that keep the best game-theoretic outcome.</summary>
public sealed class SolverPlayer(GameSolver solver, int seed) : IMoveSetPlayer
{
    private readonly Random _rng = new(seed);

    /// <inheritdoc />
    public string Name => "solver";

    /// <inheritdoc />
    public int ChooseMove(GameState state)
    {
        var best = solver.OptimalMoves(state);
        return best[_rng.Next(best.Length)];
    }

    /// <inheritdoc />
    public IReadOnlyList<int> PossibleMoves(GameState state) => solver.OptimalMoves(state);
}
