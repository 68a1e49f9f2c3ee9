using HpcLearn.Config;

namespace HpcLearn.Tasks.Clustering;

/// <summary>The algorithm a cluster run uses (<c>model.algorithm</c>, <c>--algorithm</c>). (The numbers index the model file's algorithm names: add new ones last.)</summary>
public enum ClusterAlgorithm
{
    /// <summary>k-means (<see cref="KMeans"/>); a k range is chosen by the best silhouette.</summary>
    [ConfigName("kmeans")]
    KMeans,
    /// <summary>Gaussian mixture (<see cref="GaussianMixture"/>); a k range is chosen by the lowest BIC.</summary>
    [ConfigName("gmm")]
    GaussianMixture,
    /// <summary>DBSCAN (<see cref="Dbscan"/>): no k; eps and min_samples instead.</summary>
    Dbscan,
    /// <summary>Mini-batch k-means (<see cref="MiniBatchKMeans"/>) on the table in memory; a k range is chosen by the best silhouette. Its model is a k-means model (nearest centre).</summary>
    [ConfigName("minibatch")]
    MiniBatchKMeans,
}
