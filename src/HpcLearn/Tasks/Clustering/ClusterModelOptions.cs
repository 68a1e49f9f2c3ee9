using System.Globalization;
using HpcLearn.Config;

namespace HpcLearn.Tasks.Clustering;

/// <summary>The <c>model:</c> section of a cluster config: the algorithm and its settings.</summary>
public sealed record ClusterModelOptions : IValidatable
{
    /// <summary>kmeans, minibatch (mini-batch k-means), gmm (Gaussian mixture) or dbscan; under mpirun/srun kmeans and minibatch split the rows over the ranks. Default kmeans.</summary>
    public ClusterAlgorithm Algorithm { get; init; } = ClusterAlgorithm.KMeans;

    /// <summary>Number of clusters, or a range like 2..12: fits each, keeps the best silhouette (kmeans, minibatch) or the lowest BIC (gmm); not read by dbscan. Default 8.</summary>
    public string K { get; init; } = DefaultK;

    private const string DefaultK = "8";

    /// <summary>k-means or Gaussian mixture restarts (seedings on the sample for minibatch); the lowest inertia (highest likelihood) wins. Default 3.</summary>
    public int NInit { get; init; } = 3;

    /// <summary>kmeans: skip distances with Elkan's triangle-inequality bounds (the same clustering). Default false.</summary>
    public bool Elkan { get; init; }

    /// <summary>minibatch: points per mini-batch. Default 1024.</summary>
    public int BatchSize { get; init; } = 1024;

    /// <summary>minibatch: passes over the data. Default 5.</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>gmm: the covariance of each component, full, diag or spherical. Default full.</summary>
    public CovarianceType Covariance { get; init; } = CovarianceType.Full;

    /// <summary>dbscan: neighbourhood radius (in standardised units with data.standardize). Default 0.5.</summary>
    public double Eps { get; init; } = 0.5;

    /// <summary>dbscan: points within eps, itself included, that make a core point. Default 5.</summary>
    public int MinSamples { get; init; } = 5;

    /// <summary>The smallest and largest k of <see cref="K"/> (checked by <see cref="Validate"/>).</summary>
    public (int Min, int Max) KRange() => ClusterRunOptions.ParseK(K, "model.k");

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Algorithm == ClusterAlgorithm.Dbscan && K != DefaultK)
            yield return ("k", "is not read by dbscan, which finds the number of clusters itself; remove it and set model.eps and model.min_samples instead");
        else if (ClusterRunOptions.KProblem(K, out _, out _) is { } problem) yield return ("k", problem);
        if (NInit < 1) yield return ("n_init", $"must be at least 1 (got {NInit})");
        if (BatchSize < 1) yield return ("batch_size", $"must be at least 1 (got {BatchSize})");
        if (Epochs < 1) yield return ("epochs", $"must be at least 1 (got {Epochs})");
        if (!(Eps > 0)) yield return ("eps", string.Create(CultureInfo.InvariantCulture, $"must be a number > 0 (got {Eps})"));
        if (MinSamples < 1) yield return ("min_samples", $"must be at least 1 (got {MinSamples})");
    }
}
