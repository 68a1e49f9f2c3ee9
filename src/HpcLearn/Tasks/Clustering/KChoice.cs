namespace HpcLearn.Tasks.Clustering;

/// <summary>One row of the k-selection table: quality of the k-means fit with <see cref="K"/> clusters (NaN where undefined, as for k = 1).</summary>
public sealed record KChoice(int K, double Inertia, double Silhouette, double DaviesBouldin);
