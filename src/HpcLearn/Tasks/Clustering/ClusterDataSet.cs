namespace HpcLearn.Tasks.Clustering;

/// <summary>Generated points with their true cluster labels.</summary>
/// <param name="Data">Points, <paramref name="N"/> × <paramref name="D"/> row-major.</param>
/// <param name="Labels">True cluster of each point (0-based).</param>
/// <param name="N">Number of points.</param>
/// <param name="D">Number of columns.</param>
public sealed record ClusterDataSet(float[] Data, int[] Labels, int N, int D);
