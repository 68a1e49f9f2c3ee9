namespace HpcLearn.Config;

/// <summary>One grid point: its index (the array task id and run folder name) and its overrides.</summary>
/// <param name="Index">0-based; the job array's task id.</param>
/// <param name="Overrides"><c>key=value</c> for each swept key, as for <c>--set</c>.</param>
public sealed record SweepPoint(int Index, IReadOnlyList<string> Overrides)
{
    /// <summary>The overrides as one readable string: <c>train.lr=1e-3 model.layers=[64]</c>.</summary>
    public override string ToString() => string.Join(' ', Overrides);
}
