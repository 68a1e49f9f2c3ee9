namespace HpcLearn.Tasks.Games;

/// <summary>
/// A trained agent: a PUCT search guided by the policy/value function, no root noise, the most
/// visited move (after <paramref name="sampledMoves"/> opening plies sampled in proportion to
/// visits, to vary games between deterministic agents).
/// </summary>
/// <remarks>
/// Without root noise and past the sampled plies the move is a function of the position alone:
/// each move searches a fresh tree, the random stream feeds only the noise and the sampling, and
/// ties go to the higher prior, then to the lower action. That is what lets
/// <see cref="ExhaustiveJudge"/> ask once per position.
/// </remarks>
public sealed class AgentPlayer(string name, IPolicyValue net, MctsOptions search, int seed, int sampledMoves = 0) : IMoveSetPlayer
{
    private readonly Random _rng = new(seed);

    /// <inheritdoc />
    public string Name => name;

    /// <summary>Whether every move is the search's most visited one, with no noise: the same position gets the same move.</summary>
    public bool IsDeterministic => sampledMoves == 0 && search.DirichletAlpha == 0;

    /// <inheritdoc />
    public int ChooseMove(GameState state) => Search(state).ChooseMove(sample: state.MovesPlayed < sampledMoves);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The search has root noise, or the move at this ply is sampled.</exception>
    public IReadOnlyList<int> PossibleMoves(GameState state)
    {
        if (search.DirichletAlpha > 0 || state.MovesPlayed < sampledMoves)
            throw new InvalidOperationException($"{name} chooses at random here (root noise or a sampled opening ply); its moves cannot be listed");
        return [ChooseMove(state)];
    }

    private PuctTree Search(GameState state)
    {
        var tree = new PuctTree(state, search, _rng);
        BatchedSearch.Run([tree], net, search.ParallelLeaves);
        return tree;
    }
}
