namespace HpcLearn.Tasks.Games;

/// <summary>
/// A player whose choices in a position can be listed: every move it may play there (one for a
/// deterministic player), so <see cref="ExhaustiveJudge"/> can follow each of them.
/// </summary>
public interface IMoveSetPlayer : IPlayer
{
    /// <summary>
    /// The moves this player may choose in <paramref name="state"/> (not terminal), each with a
    /// probability above zero, in action order; the same list every time it is asked.
    /// </summary>
    IReadOnlyList<int> PossibleMoves(GameState state);
}
