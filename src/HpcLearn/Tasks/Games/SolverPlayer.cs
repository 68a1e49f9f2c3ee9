namespace HpcLearn.Tasks.Games;

/// <summary>Perfect play: a random move among those that keep the best game-theoretic outcome.</summary>
public sealed class SolverPlayer(GameSolver solver, int seed) : IPlayer
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
}
