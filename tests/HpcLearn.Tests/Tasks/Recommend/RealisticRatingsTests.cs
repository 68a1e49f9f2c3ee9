using System.Text.Json.Nodes;
using HpcLearn.Evaluation;
using HpcLearn.Runs;
using HpcLearn.Tasks.Recommend;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Tasks.Recommend;

/// <summary>
/// The built-in realistic ratings (issue 20: defaults chosen on data with MovieLens' long tails and
/// missing-not-at-random exposure), validation carved from the training pairs only, and the top-k
/// ranking that has to beat popularity on such data.
/// </summary>
public sealed class RealisticRatingsTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Stars_mean_matches_monte_carlo()
    {
        var rng = new Random(3);
        foreach (var (m, s) in new[] { (4.6, 0.85), (1.2, 0.8), (3.3, 0.3), (3.5, 0.0) })
        {
            double sum = 0; const int n = 200_000;
            for (int k = 0; k < n; k++)
            {
                double g = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
                sum += Math.Round(Math.Clamp(m + s * g, 1, 5), MidpointRounding.AwayFromZero);
            }
            Assert.Equal(sum / n, SyntheticRatings.StarsMean(m, s, 1, 5), 2);
        }
    }

    [Fact]
    public void Default_data_has_whole_stars_a_long_item_tail_and_popular_items_rated_higher()
    {
        var rows = SyntheticRatings.Generate(new SyntheticRatingsOptions(), 42).Log.Rows;
        Assert.Equal(100_000, rows.Count);
        Assert.All(rows, r => Assert.Equal(Math.Round(r.Value), r.Value));
        var byItem = rows.GroupBy(r => r.Item).Select(g => (Count: g.Count(), Mean: g.Average(r => (double)r.Value))).ToList();
        var counts = byItem.Select(i => (double)i.Count).Order().ToArray();
        double mean = counts.Average(), median = counts[counts.Length / 2];
        // MovieLens 100k: mean 59.5 ratings per item, median 27 (ratio 2.2); the top item has 583.
        Assert.InRange(mean / median, 1.6, 3.5);
        Assert.InRange(counts[^1], 300, 943);
        // Popular items are better liked: log count and mean rating correlate, as in real ratings.
        var x = byItem.Where(i => i.Count >= 5).Select(i => Math.Log(i.Count)).ToArray();
        var y = byItem.Where(i => i.Count >= 5).Select(i => i.Mean).ToArray();
        Assert.True(Correlation(x, y) > 0.2, $"correlation {Correlation(x, y):F3}");
    }

    [Fact]
    public void Validation_pairs_come_from_the_training_file_never_the_test_file()
    {
        var rows = SyntheticRatings.Generate(new SyntheticRatingsOptions { Users = 60, Items = 50, Ratings = 900 }, 5).Log.Rows;
        string Lines(IEnumerable<Rating> r) => string.Join("\n", r.Select(x => $"{x.User}\t{x.Item}\t{x.Value}\t{x.Timestamp}")) + "\n";
        var train = _dir.Write("train.tsv", Lines(rows.Take(700)));
        var test = _dir.Write("test.tsv", Lines(rows.Skip(700)));
        var config = new RecommendConfig { Data = new RecommendDataOptions { Path = train, TestPath = test, ValidFraction = 0.2 } };
        var log = new StringWriter();
        var data = RecommendData.Prepare(config, log);
        var fit = Pairs(data, data.Train);
        var valid = Pairs(data, data.Valid);
        var testPairs = Pairs(data, data.Test);
        Assert.Equal(140, data.Valid.Count);
        Assert.Empty(valid.Intersect(fit));
        Assert.Empty(valid.Intersect(rows.Skip(700).Select(r => (r.User, r.Item))));
        // Every training-file pair is used once: for fitting or for validation (a validation pair of a user
        // or item that only validation has is cold: "?").
        Assert.Equal(700, data.Train.Count + data.Valid.Count);
        var trainFile = rows.Take(700).Select(r => (r.User, r.Item)).ToHashSet();
        Assert.All(fit.Concat(valid).Where(p => p.Item1 != "?" && p.Item2 != "?"), p => Assert.Contains(p, trainFile));
        Assert.Equal(200, testPairs.Count);
        Assert.Contains("validation: 140 ratings set aside from the training file", log.ToString());

        // A random split: the test share first, then validation from what is left.
        var random = RecommendData.Prepare(new RecommendConfig { Data = new RecommendDataOptions { Path = train } }, TextWriter.Null);
        Assert.Equal(140, random.Test.Count);                  // data.test_fraction 0.2 of 700
        Assert.Equal(56, random.Valid.Count);                  // data.valid_fraction 0.1 of the other 560
        Assert.Empty(Pairs(random, random.Valid).Intersect(Pairs(random, random.Test)));

        var none = new StringWriter();
        var off = RecommendData.Prepare(new RecommendConfig { Data = new RecommendDataOptions { Path = train, ValidFraction = 0 } }, none);
        Assert.Equal(0, off.Valid.Count);
        Assert.Contains("validation: none (data.valid_fraction 0)", none.ToString());
    }

    [Fact]
    public void The_default_ranking_beats_popularity_where_the_rating_alone_loses_to_it()
    {
        // The documented defaults on the built-in realistic data (943 users, 1,682 items, 100,000 ratings).
        var log = new StringWriter();
        var run = new RecommendTask().Train(new RecommendConfig { Name = "real", Seed = 42 }, new RunContext { Out = log, RunsRoot = _dir.Path, TensorBoard = false });
        var s = run.Scores!;
        var popularity = s.Baselines[BaselineKind.Popularity];
        var biases = s.Baselines[BaselineKind.Biases];
        string p10 = RankingMetrics.Names(10)[0], ndcg = RankingMetrics.Names(10)[2];
        Assert.True(s.Model[MetricNames.Rmse] < 0.97 * biases[MetricNames.Rmse], log.ToString());
        Assert.True(s.Model[ndcg] > popularity[ndcg] && s.Model[p10] > popularity[p10], log.ToString());
        // The weight came from the validation pairs and is saved with the model.
        var details = JsonNode.Parse(File.ReadAllText(Path.Combine(run.Folder.ModelDir, "model.json")))!["details"]!;
        double w = details["popularity_weight"]!.GetValue<double>();
        Assert.True(w > 0, log.ToString());
        Assert.Contains("the weight with the best validation NDCG@10", log.ToString());
        // summary.json compares each top-k metric with the best baseline (popularity here), not the biases baseline.
        Assert.Equal(popularity[ndcg], run.Summary.Baseline![ndcg], 6);
        Assert.True(run.Summary.BeatsBaseline);

        // Ranked by the predicted rating alone, the same model loses every top-k metric to popularity.
        var alone = new RecommendTask().Train(new RecommendConfig { Name = "alone", Seed = 42, Eval = new RecommendEvalOptions { PopularityWeight = 0 } },
            new RunContext { Out = TextWriter.Null, RunsRoot = _dir.Path, TensorBoard = false });
        Assert.True(alone.Scores!.Model[ndcg] < 0.5 * popularity[ndcg]);
        Assert.Equal(s.Model[MetricNames.Rmse], alone.Scores.Model[MetricNames.Rmse], 10);   // the weight changes only the ranking
        using var loaded = Recommender.Load(alone.Folder.ModelDir);
        Assert.Equal(0, loaded.State.PopularityWeight);
    }

    private static List<(string, string)> Pairs(RecommendData d, RatingPairs p) =>
        Enumerable.Range(0, p.Count).Select(k => (p.Users[k] >= 0 ? d.Users.Ids[p.Users[k]] : "?", p.Items[k] >= 0 ? d.Items.Ids[p.Items[k]] : "?")).ToList();

    private static double Correlation(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        double sxy = x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my));
        return sxy / Math.Sqrt(x.Sum(v => (v - mx) * (v - mx)) * y.Sum(v => (v - my) * (v - my)));
    }
}
