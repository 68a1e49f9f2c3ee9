namespace HpcLearn.Tasks.Clustering;

/// <summary>The outcome of <see cref="Dbscan.Fit"/>.</summary>
/// <param name="Labels">Cluster of each point (0-based, numbered in order of each cluster's first core point), or −1 for noise.</param>
/// <param name="IsCore">Whether each point is a core point (at least min_samples points within eps, itself included).</param>
/// <param name="Clusters">Number of clusters.</param>
/// <param name="Noise">Number of noise points.</param>
/// <param name="Index">The neighbour search used: <c>grid</c> or <c>brute force</c>.</param>
public sealed record DbscanResult(int[] Labels, bool[] IsCore, int Clusters, int Noise, string Index);
