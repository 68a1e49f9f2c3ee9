namespace HpcLearn.Tasks.Games;

/// <summary>
/// A node of the search tree. <see cref="ValueSum"/> and <see cref="Proven"/> are from the view
/// of the player who made the move into this node, so a parent picks the child with the highest
/// mean directly.
/// </summary>
internal sealed class MctsNode(GameState? state, int action, float prior)
{
    public GameState? State = state;
    public readonly int Action = action;
    public float Prior = prior;
    public int Visits;
    public float ValueSum;
    public int VirtualLoss;
    public bool Pending;
    public MctsNode[]? Children;

    /// <summary>The game-theoretic value once the solver has proven it (+1 won, 0 drawn, -1 lost), else null.</summary>
    public sbyte? Proven;

    public bool IsExpanded => Children is not null;

    /// <summary>The value a parent compares: the proven one, else the mean of the backed-up values.</summary>
    public float Mean => Proven ?? (Visits == 0 ? 0f : ValueSum / Visits);
}
