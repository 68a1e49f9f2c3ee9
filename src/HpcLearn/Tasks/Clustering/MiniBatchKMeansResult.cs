namespace HpcLearn.Tasks.Clustering;

/// <summary>The outcome of <see cref="MiniBatchKMeans"/>.</summary>
/// <param name="Centres">Final centres, K × d row-major.</param>
/// <param name="Inertia">Sum of squared distances of every point to its nearest final centre (a last pass over the data, in double).</param>
/// <param name="Rows">Points in one pass.</param>
/// <param name="Batches">Mini-batch updates made.</param>
public sealed record MiniBatchKMeansResult(float[] Centres, double Inertia, long Rows, long Batches)
{
    /// <summary>Why the fit ended before its last epoch (<see cref="MiniBatchKMeansOptions.Stop"/> said stop), or null.</summary>
    public string? StopReason { get; init; }
}
