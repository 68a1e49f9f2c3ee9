namespace HpcLearn.Tasks.Clustering;

/// <summary>Options of <see cref="Dbscan.Fit"/>. Defaults follow scikit-learn's DBSCAN.</summary>
public sealed record DbscanOptions
{
    /// <summary>Neighbourhood radius (Euclidean; a point at exactly <c>Eps</c> is a neighbour). Default 0.5.</summary>
    public double Eps { get; init; } = 0.5;

    /// <summary>Points within <see cref="Eps"/>, the point itself included, that make a core point. Default 5.</summary>
    public int MinSamples { get; init; } = 5;

    /// <summary>Worker threads for the neighbour search. Default <see cref="Environment.ProcessorCount"/>. The result does not depend on it.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Use the grid index up to this many columns, blocked brute force above. Default 3.</summary>
    public int GridMaxDimensions { get; init; } = 3;

    /// <summary>Checks the options; throws a one-line <see cref="UserError"/>.</summary>
    public void Validate()
    {
        if (!(Eps > 0) || double.IsInfinity(Eps)) throw new UserError($"DBSCAN: eps must be a finite number > 0 (got {Eps})");
        if (MinSamples < 1) throw new UserError($"DBSCAN: min_samples must be at least 1 (got {MinSamples})");
        if (Threads < 1) throw new UserError($"DBSCAN: threads must be at least 1 (got {Threads})");
    }
}
