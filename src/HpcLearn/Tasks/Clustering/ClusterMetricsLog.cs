using HpcLearn.Runs.Metrics;

namespace HpcLearn.Tasks.Clustering;

/// <summary>
/// A cluster run's metrics.csv through the one <see cref="MetricsLog"/> (<c>step,epoch,</c> then the
/// objective's columns: <c>inertia</c> per Lloyd iteration, <c>log_likelihood</c> per EM iteration,
/// mini-batch k-means' final inertia, or DBSCAN's <c>clusters,noise_points</c>; <c>epoch</c> empty
/// where it has no meaning) and the same values as TensorBoard scalars under <c>cluster/</c>.
/// Written once, when the fit is done. The choice of k, for a k range, is in k-selection.csv.
/// </summary>
internal static class ClusterMetricsLog
{
    /// <summary>Writes <paramref name="history"/> into <paramref name="runDir"/> (TensorBoard events too when <paramref name="tensorBoard"/>).</summary>
    public static void Write(string runDir, IReadOnlyList<ClusterStep> history, bool tensorBoard)
    {
        var rows = history.Select(h => new MetricsRow(h.Step, h.Epoch, h.Values.ToList())).ToList();
        using var log = new MetricsLog(runDir, tensorBoard, column => "cluster/" + column);
        log.Write(rows);
        foreach (var row in rows) log.Scalars(row);
    }
}
