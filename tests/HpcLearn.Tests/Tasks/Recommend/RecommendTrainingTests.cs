using HpcLearn.Evaluation;
using HpcLearn.Tasks.Recommend;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Tasks.Recommend;

/// <summary>The trained model recovers the known structure and beats every baseline on ratings.</summary>
[Collection(TorchGlobalStateCollection.Name)]
public sealed class RecommendTrainingTests(RecommendRunFixture f) : IClassFixture<RecommendRunFixture>
{
    [Fact]
    public void Rmse_is_close_to_the_noise_floor_and_well_below_every_baseline()
    {
        var s = f.Run.Scores!;
        double floor = f.Run.Data.NoiseFloor!.Value;
        double rmse = s.Model[MetricNames.Rmse];
        Assert.True(rmse < 1.3 * floor, $"rmse {rmse:F4} vs noise floor {floor:F4}\n{f.Log}");
        foreach (var (kind, metrics) in s.Baselines)
            if (metrics.TryGetValue(MetricNames.Rmse, out double b))
                Assert.True(rmse < 0.6 * b, $"rmse {rmse:F4} vs {kind} {b:F4}\n{f.Log}");
    }

    [Fact]
    public void Summary_lists_every_baseline_and_the_noise_floor()
    {
        var json = File.ReadAllText(Path.Combine(f.Run.Folder.Root, "summary.json"));
        foreach (var key in new[] { "\"rmse\"", "\"ndcg_at_10\"", "\"noise_floor\"", "\"global_mean/rmse\"", "\"user_mean/rmse\"", "\"item_mean/rmse\"", "\"user_item_biases/rmse\"", "\"popularity/precision_at_10\"" })
            Assert.Contains(key, json);
        Assert.True(f.Run.Summary.BeatsBaseline);
        Assert.Contains("user+item biases", f.Log);
    }
}
