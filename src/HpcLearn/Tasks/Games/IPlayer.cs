namespace HpcLearn.Tasks.Games;

/// <summary>Something that picks a move: an agent, a baseline, the solver, a human.</summary>
public interface IPlayer
{
    /// <summary>Name in arena tables (<c>random</c>, <c>mcts:1000</c>, <c>solver</c>, a model folder).</summary>
    string Name { get; }

    /// <summary>The move to play in <paramref name="state"/> (not terminal).</summary>
    int ChooseMove(GameState state);
}
