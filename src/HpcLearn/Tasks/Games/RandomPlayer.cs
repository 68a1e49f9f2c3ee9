namespace HpcLearn.Tasks.Games;

/// <summary>A uniformly random legal move: the trivial baseline.</summary>
public sealed class RandomPlayer(int seed) : IMoveSetPlayer
{
    private readonly Random _rng = new(seed);

    /// <inheritdoc />
    public string Name => "random";

    /// <inheritdoc />
    public int ChooseMove(GameState state)
    {
        var legal = state.LegalMoves();
        return legal[_rng.Next(legal.Length)];
    }

    /// <inheritdoc />
    public IReadOnlyList<int> PossibleMoves(GameState state) => state.LegalMoves();
}
