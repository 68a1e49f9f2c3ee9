namespace HpcLearn.Tasks.Games;

/// <summary>Uniform priors and value 0 everywhere: PUCT search with no knowledge.</summary>
public sealed class UniformPolicyValue(Game game) : IPolicyValue
{
    /// <inheritdoc />
    public Game Game { get; } = game;

    /// <summary>Batches evaluated so far.</summary>
    public int Calls { get; private set; }

    /// <inheritdoc />
    public void Evaluate(IReadOnlyList<GameState> states, float[] priors, float[] values)
    {
        Calls++;
        Array.Fill(priors, 1f, 0, states.Count * Game.ActionCount);
        Array.Fill(values, 0f, 0, states.Count);
    }
}
