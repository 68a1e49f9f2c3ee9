using System.Globalization;
using HpcLearn.Evaluation;
using HpcLearn.Tasks.Recommend;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Tasks.Recommend;

/// <summary>
/// One BPR model (shared): it learns the users' taste well beyond popularity, reports no rating
/// metrics, and the saved model scores, recommends and evaluates as the trained one did.
/// </summary>
[Collection(TorchGlobalStateCollection.Name)]
public sealed class ImplicitRecommenderTests(ImplicitRunFixture f) : IClassFixture<ImplicitRunFixture>
{
    [Fact]
    public void Bpr_beats_popularity_on_ndcg_and_recall_by_a_clear_margin()
    {
        var s = f.Run.Scores!;
        Assert.True(s.Implicit);
        foreach (var metric in new[] { "ndcg_at_10", "recall_at_10" })
        {
            double model = s.Model[metric], popularity = s.Baselines[BaselineKind.Popularity][metric], random = s.Baselines[BaselineKind.Random][metric];
            Assert.True(model > 1.3 * popularity, $"{metric}: model {model:F4} vs popularity {popularity:F4}\n{f.Log}");
            Assert.True(popularity > 2 * random, $"{metric}: popularity {popularity:F4} vs random {random:F4}");
        }
        Assert.True(f.Run.Summary.BeatsBaseline);
        Assert.Equal("ndcg_at_10", f.Run.Summary.PrimaryMetric);
    }

    [Fact]
    public void There_are_no_rating_metrics_and_the_summary_says_why()
    {
        Assert.DoesNotContain(MetricNames.Rmse, f.Run.Scores!.Model.Keys);
        Assert.Contains("no RMSE or MAE: implicit feedback has no ratings to predict", f.Log);
        Assert.Contains("metric         model  popularity  random  beats all", f.Log);
        Assert.Contains("sampled_auc", f.Log);
        var json = File.ReadAllText(Path.Combine(f.Run.Folder.Root, "summary.json"));
        Assert.DoesNotContain("\"rmse\"", json);
        Assert.Contains("\"random/ndcg_at_10\"", json);
        Assert.Contains("\"popularity/recall_at_10\"", json);
    }

    [Fact]
    public void Predict_writes_the_models_scores_and_leaves_cold_pairs_empty()
    {
        using var r = Recommender.Load(f.ModelDir);
        string u = r.State.Users.Ids[0];
        var top = r.Recommend(u, 2).Items;
        var pairs = f.Root.Write("pairs.csv", $"user,item\n{u},{top[0].Item}\n{u},{top[1].Item}\nnobody,{top[0].Item}\n");
        var output = new StringWriter();
        Assert.Equal(3, new RecommendTask().Predict(f.ModelDir, pairs, output));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("user,item,score,cold_start", lines[0]);
        for (int k = 0; k < 2; k++)
        {
            Assert.StartsWith($"{u},{top[k].Item},", lines[k + 1]);
            Assert.Equal(top[k].Score, double.Parse(lines[k + 1].Split(',')[2], CultureInfo.InvariantCulture), 3);
        }
        Assert.Equal($"nobody,{top[0].Item},,user", lines[3]);
    }

    [Fact]
    public void Recommend_never_returns_training_items_and_cold_users_get_popularity()
    {
        using var r = Recommender.Load(f.ModelDir);
        Assert.True(r.State.IsImplicit);
        for (int u = 0; u < 20; u++)
        {
            var list = r.Recommend(r.State.Users.Ids[u], 10);
            Assert.Equal("score", list.ScoreName);
            Assert.Null(list.ColdStart);
            var rated = r.State.Rated[u].Select(i => r.State.Items.Ids[i]).ToHashSet();
            Assert.DoesNotContain(list.Items, i => rated.Contains(i.Item));
            Assert.Equal(list.Items.Select(i => i.Score).OrderDescending(), list.Items.Select(i => i.Score));
        }
        var cold = r.Recommend("nobody", 5);
        Assert.StartsWith("user 'nobody' is not in the training data (cold start): these are the items with the most training interactions", cold.ColdStart);
        Assert.Equal("training interactions", cold.ScoreName);
        Assert.Equal(r.State.Baselines.ItemCount.Max(), (int)cold.Items[0].Score);
        Assert.Equal(4, r.SimilarTo(r.State.Items.Ids[0], 4).Items.Count);
    }

    [Fact]
    public void Evaluate_on_the_held_out_interactions_gives_the_training_runs_metrics()
    {
        var d = f.Run.Data;
        var lines = Enumerable.Range(0, d.Test.Count).Where(d.Test.IsWarm).Select(k => $"{d.Users.Ids[d.Test.Users[k]]},{d.Items.Ids[d.Test.Items[k]]}");
        var file = f.Root.Write("held-out.csv", "user,item\n" + string.Join("\n", lines) + "\n");
        var summary = new RecommendTask().Evaluate(f.ModelDir, file, TextWriter.Null);
        foreach (var (name, value) in f.Run.Scores!.Model)
            Assert.Equal(value, summary.Metrics[name], 6);
    }
}
