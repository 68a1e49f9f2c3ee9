using System.Text.Json.Nodes;

namespace HpcLearn.Tasks.Clustering;

/// <summary>What one algorithm hands back to <see cref="ClusterRun"/> for writing.</summary>
/// <param name="K">Clusters (components for a mixture; found clusters for DBSCAN).</param>
/// <param name="Labels">Cluster of each point; −1 for DBSCAN's noise.</param>
/// <param name="Centres">K × d, in the space the algorithm ran in: centres, means, or (DBSCAN) the mean of each cluster's points.</param>
/// <param name="Summary">Algorithm-specific keys of summary.json.</param>
/// <param name="Line">The algorithm's part of the result line.</param>
/// <param name="Model">The model for <c>hpclearn predict</c>.</param>
/// <param name="Selection">For a k range: the table as CSV, its plot, and the line saying which k was chosen.</param>
internal sealed record ClusterOutcome(int K, int[] Labels, float[] Centres, JsonObject Summary, string Line, ClusterModel Model, (string Csv, byte[] Png)? Selection)
{
    /// <summary>The kept fit's objective, step by step (metrics.csv).</summary>
    public IReadOnlyList<ClusterStep> History { get; init; } = [];

    /// <summary>Whether the stop token ended the fits early.</summary>
    public bool Stopped { get; init; }
}
