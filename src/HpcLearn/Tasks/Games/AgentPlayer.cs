namespace HpcLearn.Tasks.Games;

/// <summary>
/// A trained agent: a PUCT search guided by the policy/value function, no root noise, the most
/// visited move (after <paramref name="sampledMoves"/> opening plies sampled in proportion to
/// visits, to vary games between deterministic agents).
/// </summary>
public sealed class AgentPlayer(string name, IPolicyValue net, MctsOptions search, int seed, int sampledMoves = 0) : IPlayer
{
    private readonly Random _rng = new(seed);

    /// <inheritdoc />
    public string Name => name;

    /// <inheritdoc />
    public int ChooseMove(GameState state)
    {
        var tree = new PuctTree(state, search, _rng);
        BatchedSearch.Run([tree], net, search.ParallelLeaves);
        return tree.ChooseMove(sample: state.MovesPlayed < sampledMoves);
    }
}
