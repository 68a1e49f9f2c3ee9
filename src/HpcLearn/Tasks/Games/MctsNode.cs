namespace HpcLearn.Tasks.Games;

/// <summary>
/// A node of the search tree. <see cref="ValueSum"/> is from the view of the player who made the
/// move into this node, so a parent picks the child with the highest mean directly.
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

    public bool IsExpanded => Children is not null;
}
