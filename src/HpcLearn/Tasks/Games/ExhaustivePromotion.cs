namespace HpcLearn.Tasks.Games;

/// <summary>
/// Promotion by the exhaustive judge, for games small enough to enumerate (tic-tac-toe): the
/// new network, searching as the shipped agent does, replaces the best one unless it loses more
/// lines than the best or as many with more non-optimal moves (ties promote, so training moves
/// on). New-vs-best games cannot tell two networks apart when both draw every game, as the
/// arena's mostly do in tic-tac-toe: they kept a network that lost a line while later ones
/// did not. The best network's result is kept, so each iteration judges one network (about a second).
/// </summary>
public sealed class ExhaustivePromotion(Game game, MctsOptions agentSearch)
{
    private readonly GameSolver _solver = GameSolver.For(game);

    /// <summary>The best network's result, once judged.</summary>
    public ExhaustiveJudge.Result? Best { get; private set; }

    /// <summary>Every line of <paramref name="net"/> with the agent's search.</summary>
    public ExhaustiveJudge.Result Judge(PolicyValueNet net)
        => ExhaustiveJudge.Run(game, new AgentPlayer("agent", new NetworkPolicyValue(net), agentSearch, seed: 0), _solver);

    /// <summary>Whether <paramref name="candidate"/> replaces <paramref name="best"/>, its result and the best one's before the decision.</summary>
    public (bool Promote, ExhaustiveJudge.Result Candidate, ExhaustiveJudge.Result Before) Decide(PolicyValueNet candidate, PolicyValueNet best)
    {
        var before = Best ??= Judge(best);
        var c = Judge(candidate);
        bool promote = c.Losses < before.Losses || (c.Losses == before.Losses && c.MistakePositions <= before.MistakePositions);
        if (promote) Best = c;
        return (promote, c, before);
    }
}
