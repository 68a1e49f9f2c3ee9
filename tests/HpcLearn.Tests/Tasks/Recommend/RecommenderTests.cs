using System.Globalization;
using HpcLearn.Evaluation;
using HpcLearn.Tasks.Recommend;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Tasks.Recommend;

/// <summary>
/// One trained model (shared): it recovers the known structure and beats every baseline on ratings,
/// and the saved model answers as the trained one did: predict, evaluate, recommend, similar-to, cold start.
/// </summary>
[Collection(TorchGlobalStateCollection.Name)]
public sealed class RecommenderTests(RecommendRunFixture f) : IClassFixture<RecommendRunFixture>
{
    private static double[] Column(string csv, int column) => csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
        .Select(l => double.Parse(l.Split(',')[column], CultureInfo.InvariantCulture)).ToArray();

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

    [Fact]
    public void Predictions_of_the_loaded_model_reproduce_the_test_rmse()
    {
        var data = f.Run.Data;
        var lines = Enumerable.Range(0, data.Test.Count).Select(k => $"{data.Users.Ids[data.Test.Users[k]]},{data.Items.Ids[data.Test.Items[k]]}");
        var pairs = f.Root.Write("pairs.csv", "user,item\n" + string.Join("\n", lines) + "\n");
        var output = new StringWriter();
        int rows = new RecommendTask().Predict(f.ModelDir, pairs, output);
        Assert.Equal(data.Test.Count, rows);
        var predicted = Column(output.ToString(), 2);
        double rmse = RegressionMetrics.Rmse(data.Test.Ratings.Select(r => (double)r).ToArray(), predicted);
        Assert.Equal(f.Run.Scores!.Model[MetricNames.Rmse], rmse, 4);
    }

    [Fact]
    public void Evaluate_on_the_test_pairs_gives_the_training_runs_metrics()
    {
        var data = f.Run.Data;
        var lines = Enumerable.Range(0, data.Test.Count).Select(k =>
            $"{data.Users.Ids[data.Test.Users[k]]},{data.Items.Ids[data.Test.Items[k]]},{data.Test.Ratings[k].ToString("R", CultureInfo.InvariantCulture)}");
        var path = f.Root.Write("test.csv", "user,item,rating\n" + string.Join("\n", lines) + "\n");
        var summary = new RecommendTask().Evaluate(f.ModelDir, path, TextWriter.Null);
        foreach (var (name, value) in f.Run.Scores!.Model)
            Assert.Equal(value, summary.Metrics[name], 4);
        Assert.Equal(f.Run.Scores.Baselines[BaselineKind.Biases][MetricNames.Rmse], summary.Baseline[MetricNames.Rmse], 4);
    }

    [Fact]
    public void Recommend_lists_unrated_items_by_falling_rating_plus_popularity_weight()
    {
        using var r = Recommender.Load(f.ModelDir);
        string user = r.State.Users.Ids[3];
        var list = r.Recommend(user, 5);
        Assert.Null(list.ColdStart);
        var rated = r.State.Rated[3].Select(i => r.State.Items.Ids[i]).ToHashSet();
        Assert.Equal(5, list.Items.Count);
        Assert.DoesNotContain(list.Items, i => rated.Contains(i.Item));
        // Brute force: predict every unrated item through the pairs path and take the best.
        var unrated = r.State.Items.Ids.Where(i => !rated.Contains(i)).ToList();
        var pairs = f.Root.Write("all.csv", "user,item\n" + string.Join("\n", unrated.Select(i => $"{user},{i}")) + "\n");
        var output = new StringWriter();
        r.WritePredictions(r.ReadPairs(pairs), output);
        var scores = Column(output.ToString(), 2);
        // The list shows the predicted rating and is ranked by rating + w · ln(1 + the item's training ratings).
        double w = r.State.PopularityWeight;
        double Blend(string item, double rating) => rating + w * Math.Log(1 + r.State.Baselines.ItemCount[r.State.Items.Find(item)]);
        var blended = unrated.Select((item, k) => Blend(item, scores[k])).ToList();
        Assert.Equal(blended.Max(), Blend(list.Items[0].Item, list.Items[0].Score), 4);
        Assert.True(list.Items.Zip(list.Items.Skip(1)).All(p => Blend(p.First.Item, p.First.Score) >= Blend(p.Second.Item, p.Second.Score) - 1e-5));
    }

    [Fact]
    public void Similar_items_exclude_the_item_and_fall_in_cosine_order()
    {
        using var r = Recommender.Load(f.ModelDir);
        string item = r.State.Items.Ids[0];
        var list = r.SimilarTo(item, 4);
        Assert.Null(list.ColdStart);
        Assert.DoesNotContain(list.Items, i => i.Item == item);
        Assert.All(list.Items, i => Assert.InRange(i.Score, -1.0001, 1.0001));
        Assert.True(list.Items.Zip(list.Items.Skip(1)).All(p => p.First.Score >= p.Second.Score));
    }

    [Fact]
    public void Unknown_users_and_items_get_the_baseline_and_are_flagged()
    {
        using var r = Recommender.Load(f.ModelDir);
        var cold = r.Recommend("nobody", 3);
        Assert.Equal("user 'nobody' is not in the training data (cold start): these are the items with the highest rating by the user+item biases baseline (μ + b_i)", cold.ColdStart);
        var b = r.State.Baselines;
        int best = Array.IndexOf(b.ItemBias, b.ItemBias.Max());
        Assert.Equal(r.State.Items.Ids[best], cold.Items[0].Item);
        Assert.NotNull(r.SimilarTo("no-such-item", 3).ColdStart);

        string user = r.State.Users.Ids[0];
        var pairs = f.Root.Write("cold.csv", $"user,item\n{user},no-such-item\nnobody,no-such-item\n");
        var output = new StringWriter();
        r.WritePredictions(r.ReadPairs(pairs), output);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        float expected = b.Predict(BaselineKind.Biases, 0, -1);
        Assert.Equal($"{user},no-such-item,{expected.ToString("0.####", CultureInfo.InvariantCulture)},item", lines[1]);
        Assert.Equal($"nobody,no-such-item,{((float)b.GlobalMean).ToString("0.####", CultureInfo.InvariantCulture)},both", lines[2]);
    }
}
