namespace HpcLearn.Tasks.Clustering;

/// <summary>Options of <see cref="MiniBatchKMeans"/>. Batch size and initialisation sample follow scikit-learn's MiniBatchKMeans.</summary>
public sealed record MiniBatchKMeansOptions
{
    /// <summary>Number of clusters (at least 1). Default 8.</summary>
    public int K { get; init; } = 8;

    /// <summary>Points per mini-batch. Default 1024, as scikit-learn.</summary>
    public int BatchSize { get; init; } = 1024;

    /// <summary>Passes over the data (each pass reads the stream once more). Default 5.</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>Points (from the start of the first chunk) that greedy k-means++ seeds from. Default 0: 3 × <see cref="BatchSize"/>, as scikit-learn's <c>init_size</c>.</summary>
    public int InitSize { get; init; }

    /// <summary>Seedings tried on the sample (the lowest inertia on it is kept). Default 3, as scikit-learn.</summary>
    public int NInit { get; init; } = 3;

    /// <summary>Seed of the seeding and of the shuffling within chunks. Default 0.</summary>
    public int Seed { get; init; } = 0;

    /// <summary>
    /// Asked after each chunk of each epoch (on every rank; the ranks stop together when any says
    /// yes): true ends the epochs early, with the centres reached (<see cref="MiniBatchKMeansResult.Stopped"/>).
    /// Null (default) never stops.
    /// </summary>
    public Func<bool>? Stop { get; init; }

    /// <summary>Checks the options; throws a one-line <see cref="UserError"/>.</summary>
    public void Validate()
    {
        if (K < 1) throw new UserError($"mini-batch k-means: k must be at least 1 (got {K})");
        if (BatchSize < 1) throw new UserError($"mini-batch k-means: batch_size must be at least 1 (got {BatchSize})");
        if (Epochs < 1) throw new UserError($"mini-batch k-means: epochs must be at least 1 (got {Epochs})");
        if (NInit < 1) throw new UserError($"mini-batch k-means: n_init must be at least 1 (got {NInit})");
        if (InitSize < 0) throw new UserError($"mini-batch k-means: init_size must be >= 0 (got {InitSize})");
    }
}
