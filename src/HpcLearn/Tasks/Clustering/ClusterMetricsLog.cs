using System.Globalization;
using System.Text;
using HpcLearn.Runs;
using TorchSharp;

namespace HpcLearn.Tasks.Clustering;

/// <summary>
/// A cluster run's metrics.csv (<c>step,epoch,</c> then the objective's columns: <c>inertia</c> per
/// Lloyd iteration, <c>log_likelihood</c> per EM iteration, mini-batch k-means' final inertia, or
/// DBSCAN's <c>clusters,noise_points</c>; <c>epoch</c> empty where it has no meaning) and the same
/// values as TensorBoard scalars in <c>tensorboard/</c>. Written once, when the fit is done.
/// </summary>
internal static class ClusterMetricsLog
{
    /// <summary>Writes <paramref name="history"/> into <paramref name="runDir"/> (TensorBoard events too when <paramref name="tensorBoard"/>).</summary>
    public static void Write(string runDir, IReadOnlyList<ClusterStep> history, bool tensorBoard)
    {
        var names = history.SelectMany(h => h.Values.Keys).Distinct().ToList();
        var csv = new StringBuilder("step,epoch" + string.Concat(names.Select(n => "," + n)) + "\n");
        foreach (var h in history)
        {
            csv.Append(h.Step.ToString(CultureInfo.InvariantCulture)).Append(',').Append(h.Epoch?.ToString(CultureInfo.InvariantCulture));
            foreach (var n in names)
                csv.Append(',').Append(h.Values.TryGetValue(n, out double v) && double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "");
            csv.Append('\n');
        }
        AtomicFile.WriteAllText(Path.Combine(runDir, "metrics.csv"), csv.ToString());
        if (!tensorBoard) return;
        var writer = torch.utils.tensorboard.SummaryWriter(Path.Combine(runDir, "tensorboard"), null, false);
        foreach (var h in history)
            foreach (var (name, value) in h.Values)
                if (double.IsFinite(value)) writer.add_scalar($"cluster/{name}", (float)value, (int)Math.Min(h.Step, int.MaxValue));
    }
}
