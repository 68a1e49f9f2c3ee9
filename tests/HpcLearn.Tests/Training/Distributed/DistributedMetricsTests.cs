using HpcLearn.Cluster;
using HpcLearn.Training.Distributed;
using Xunit;

using HpcLearn.Runs;

namespace HpcLearn.Tests.Training.Distributed;

public sealed class DistributedMetricsTests
{
    [Fact]
    public void Means_are_weighted_by_each_ranks_example_count()
    {
        // This rank: loss 1.0 over 30 examples, accuracy 0.5. The other: loss 3.0 over 10, accuracy 0.9.
        var comm = new FakeCommunicator(0, 2);
        double[] peer = [0.9 * 10, 3.0 * 10, 10]; // keys in ordinal order: accuracy, loss; then the count
        comm.PeerSum = (i, _) => peer[i];

        var m = DistributedMetrics.Mean(comm, new Dictionary<string, double> { ["loss"] = 1.0, ["accuracy"] = 0.5 }, 30);

        Assert.Equal((1.0 * 30 + 3.0 * 10) / 40, m["loss"], 12);
        Assert.Equal((0.5 * 30 + 0.9 * 10) / 40, m["accuracy"], 12);
    }

    [Fact]
    public void A_rank_without_examples_adds_nothing_and_no_examples_anywhere_is_nan()
    {
        var comm = new FakeCommunicator(0, 2) { PeerSum = (i, _) => i == 0 ? 2.0 * 5 : 5 };
        Assert.Equal(2.0, DistributedMetrics.Mean(comm, double.NaN, 0), 12);

        var empty = new FakeCommunicator(0, 2) { PeerSum = (_, _) => 0 };
        Assert.True(double.IsNaN(DistributedMetrics.Mean(empty, double.NaN, 0)));
    }

    [Fact]
    public void Ranks_must_report_the_same_metric_names()
    {
        var comm = new FakeCommunicator(0, 2) { PeerMax = (i, v) => i == 1 ? v + 1 : v };
        var e = Assert.Throws<InvalidOperationException>(() => DistributedMetrics.Mean(comm, new Dictionary<string, double> { ["loss"] = 1 }, 3));
        Assert.StartsWith("ranks disagree on the metric names", e.Message);
    }

    [Fact]
    public void One_process_returns_its_own_values_and_sums_are_exact()
    {
        using var single = new SingleCommunicator();
        Assert.Equal(0.25, DistributedMetrics.Mean(single, 0.25, 7));
        var comm = new FakeCommunicator(0, 3);
        Assert.Equal(3L * 123456789012, DistributedMetrics.Sum(comm, 123456789012));
    }
}
