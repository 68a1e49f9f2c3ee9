namespace HpcLearn.Tasks.Clustering;

/// <summary>How a Gaussian mixture chooses its starting parameters.</summary>
public enum GaussianMixtureInit
{
    /// <summary>
    /// Run k-means (greedy k-means++ seeding, one restart) and take each cluster's weight, mean and
    /// covariance from its points, as scikit-learn's <c>init_params='kmeans'</c>.
    /// </summary>
    KMeans,
    /// <summary>
    /// Draw greedy k-means++ seeds and take the weights, means and covariances of the points nearest
    /// to each seed (one assignment step, no Lloyd iterations). Cheaper than <see cref="KMeans"/>.
    /// scikit-learn's <c>'k-means++'</c> instead gives each seed alone responsibility 1.
    /// </summary>
    KMeansPlusPlus,
    /// <summary>The weights, means and covariances in <see cref="GaussianMixtureOptions.InitialWeights"/>, <see cref="GaussianMixtureOptions.InitialMeans"/> and <see cref="GaussianMixtureOptions.InitialCovariances"/>.</summary>
    Given,
}
