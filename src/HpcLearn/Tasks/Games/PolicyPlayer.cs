namespace HpcLearn.Tasks.Games;

/// <summary>
/// The network's policy head alone: its most probable legal move, no search. Cheap enough (one
/// forward pass a move) to judge the best network after every iteration, so the report can show
/// how the policy itself improves; the final judge score uses the full search.
/// </summary>
public sealed class PolicyPlayer(IPolicyValue net) : IPlayer
{
    /// <inheritdoc />
    public string Name => "policy";

    /// <inheritdoc />
    public int ChooseMove(GameState state)
    {
        var priors = new float[net.Game.ActionCount];
        net.Evaluate([state], priors, new float[1]);
        return state.LegalMoves().MaxBy(a => priors[a]);
    }
}
