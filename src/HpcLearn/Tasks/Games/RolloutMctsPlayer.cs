namespace HpcLearn.Tasks.Games;

/// <summary>Plays the move of a <see cref="RolloutMcts"/> with a fixed number of rollouts (<c>mcts:1000</c>).</summary>
public sealed class RolloutMctsPlayer(int rollouts, int seed) : IPlayer
{
    private readonly RolloutMcts _search = new(rollouts, seed);

    /// <inheritdoc />
    public string Name => $"mcts:{rollouts}";

    /// <inheritdoc />
    public int ChooseMove(GameState state) => _search.Search(state);
}
