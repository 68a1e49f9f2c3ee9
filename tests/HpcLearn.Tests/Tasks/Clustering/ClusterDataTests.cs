using HpcLearn.Tasks.Clustering;
using Xunit;

namespace HpcLearn.Tests.Tasks.Clustering;

/// <summary>The generators: known labels, shapes, determinism.</summary>
public sealed class ClusterDataTests
{
    [Fact]
    public void Blobs_split_points_evenly_around_the_given_centres_and_repeat_for_a_seed()
    {
        var a = ClusterData.Blobs(10, [0f, 0f, 100f, 100f], 2, std: 0.1, seed: 1);
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1, 1, 1], a.Labels);
        for (int i = 0; i < 10; i++) Assert.InRange(a.Data[2 * i], a.Labels[i] * 100 - 1, a.Labels[i] * 100 + 1);
        Assert.Equal(a.Data, ClusterData.Blobs(10, [0f, 0f, 100f, 100f], 2, std: 0.1, seed: 1).Data);
        Assert.NotEqual(a.Data, ClusterData.Blobs(10, [0f, 0f, 100f, 100f], 2, std: 0.1, seed: 2).Data);
    }

    [Fact]
    public void Moons_and_rings_without_noise_lie_on_their_curves()
    {
        var m = ClusterData.Moons(100, noise: 0, seed: 1);
        for (int i = 0; i < 100; i++)
        {
            double cx = m.Labels[i] == 0 ? 0 : 1, cy = m.Labels[i] == 0 ? 0 : 0.5;
            Assert.Equal(1.0, Math.Sqrt(Math.Pow(m.Data[2 * i] - cx, 2) + Math.Pow(m.Data[2 * i + 1] - cy, 2)), 5);
        }
        var r = ClusterData.Rings(101, noise: 0, seed: 1, factor: 0.3);
        Assert.Equal(51, r.Labels.Count(l => l == 0));
        for (int i = 0; i < 101; i++)
            Assert.Equal(r.Labels[i] == 0 ? 1.0 : 0.3, Math.Sqrt(r.Data[2 * i] * r.Data[2 * i] + r.Data[2 * i + 1] * r.Data[2 * i + 1]), 5);
        Assert.Equal(ClusterData.Moons(50, 0.1, 3).Data, ClusterData.Moons(50, 0.1, 3).Data);
    }
}
