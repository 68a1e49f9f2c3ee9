namespace HpcLearn.Tasks.Clustering;

/// <summary>The outcome of <see cref="MiniBatchKMeans"/>.</summary>
/// <param name="Centres">Final centres, K × d row-major.</param>
/// <param name="Inertia">Sum of squared distances of every point to its nearest final centre (a last pass over the data, in double).</param>
/// <param name="Rows">Points in one pass.</param>
/// <param name="Batches">Mini-batch updates made.</param>
public sealed record MiniBatchKMeansResult(float[] Centres, double Inertia, long Rows, long Batches)
{
    /// <summary>Whether <see cref="MiniBatchKMeansOptions.Stop"/> ended the epochs early.</summary>
    public bool Stopped { get; init; }

    /// <summary>Epochs begun (all of them unless <see cref="Stopped"/>).</summary>
    public int Epochs { get; init; }
}
