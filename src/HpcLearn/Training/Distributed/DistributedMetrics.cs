using HpcLearn.Cluster;

using HpcLearn.Runs;

namespace HpcLearn.Training.Distributed;

/// <summary>
/// Combines per-rank averages into the average over all ranks' examples, weighting each rank by
/// its example count. Exact for metrics that are means over examples (loss, accuracy, MSE, MAE);
/// for metrics that are not (macro F1, R², AUC) it is the count-weighted mean of per-rank values,
/// an approximation: compute those on one rank over all the data when exactness matters.
/// Every rank must call with the same keys; one all-reduce per call.
/// </summary>
public static class DistributedMetrics
{
    /// <summary>
    /// As <see cref="Mean(ICommunicator, double, long)"/> for one value on a hot path (every training
    /// step): a single all-reduce of (mean·count, count), without checking that the ranks agree on
    /// what they reduce.
    /// </summary>
    public static double StepMean(ICommunicator comm, double localMean, long count)
    {
        if (comm.Size == 1) return localMean;
        Span<double> sums = [localMean * count, count];
        comm.AllReduceSum(sums);
        return sums[0] / sums[1];
    }

    /// <summary>The mean over all ranks' examples of a per-rank mean over <paramref name="count"/> examples.</summary>
    public static double Mean(ICommunicator comm, double localMean, long count)
    {
        var m = Mean(comm, new Dictionary<string, double> { ["value"] = localMean }, count);
        return m["value"];
    }

    /// <summary>Each metric's mean over all ranks' examples; NaN where no rank had examples.</summary>
    public static IReadOnlyDictionary<string, double> Mean(ICommunicator comm, IReadOnlyDictionary<string, double> localMeans, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (comm.Size == 1) return new Dictionary<string, double>(localMeans);
        var keys = localMeans.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
        RankAgreement.Check(comm, [keys.Count, KeyHash(keys)], "the metric names");
        // [Σ mean·count per key..., Σ count]; a rank without examples adds 0, not NaN·0.
        var sums = new double[keys.Count + 1];
        for (int i = 0; i < keys.Count; i++) sums[i] = count == 0 ? 0 : localMeans[keys[i]] * count;
        sums[^1] = count;
        comm.AllReduceSum(sums);
        var result = new Dictionary<string, double>();
        for (int i = 0; i < keys.Count; i++) result[keys[i]] = sums[^1] == 0 ? double.NaN : sums[i] / sums[^1];
        return result;
    }

    /// <summary>The sum of <paramref name="value"/> over all ranks (e.g. examples seen), exact up to 2^53.</summary>
    public static long Sum(ICommunicator comm, long value)
    {
        Span<double> v = [value];
        comm.AllReduceSum(v);
        return (long)v[0];
    }

    // Same names on every rank: a stable hash (string.GetHashCode is randomised per process).
    private static double KeyHash(List<string> keys)
    {
        ulong h = 1469598103934665603UL;
        foreach (char c in string.Join("\n", keys)) h = (h ^ c) * 1099511628211UL;
        return h >> 12; // 52 bits: exact in a double
    }
}
