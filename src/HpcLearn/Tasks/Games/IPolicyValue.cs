namespace HpcLearn.Tasks.Games;

/// <summary>
/// f(s) = (p, v): move probabilities and the value for the player to move, for a batch of
/// positions at once (a network forward pass, or a stand-in in tests).
/// </summary>
public interface IPolicyValue
{
    /// <summary>The game whose positions this evaluates.</summary>
    Game Game { get; }

    /// <summary>
    /// Fills <paramref name="priors"/> (count × ActionCount, any non-negative weights; the search
    /// keeps the legal ones and renormalises) and <paramref name="values"/> (count, in [-1, 1]).
    /// </summary>
    void Evaluate(IReadOnlyList<GameState> states, float[] priors, float[] values);
}
