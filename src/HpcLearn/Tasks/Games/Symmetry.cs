namespace HpcLearn.Tasks.Games;

/// <summary>
/// A board symmetry: the position with cell <c>c</c> moved to <c>Cells[c]</c> is equivalent, and
/// action <c>a</c> becomes <c>Actions[a]</c>. Used to multiply the training examples.
/// </summary>
/// <param name="Cells">Where each cell goes.</param>
/// <param name="Actions">Where each action goes.</param>
public sealed record Symmetry(int[] Cells, int[] Actions)
{
    /// <summary>Applies the symmetry to an encoding of (planes, cells) floats.</summary>
    public void MapPlanes(ReadOnlySpan<float> planes, Span<float> dest, int planeCount)
    {
        int n = Cells.Length;
        for (int p = 0; p < planeCount; p++)
            for (int c = 0; c < n; c++) dest[p * n + Cells[c]] = planes[p * n + c];
    }

    /// <summary>Applies the symmetry to a policy vector.</summary>
    public void MapPolicy(ReadOnlySpan<float> policy, Span<float> dest)
    {
        for (int a = 0; a < Actions.Length; a++) dest[Actions[a]] = policy[a];
    }
}
