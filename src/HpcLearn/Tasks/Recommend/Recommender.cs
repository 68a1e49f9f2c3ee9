using System.Globalization;
using HpcLearn.Runs;
using HpcLearn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Recommend;

/// <summary>
/// A trained recommend model loaded from its folder: rates pairs, recommends items to a user,
/// finds similar items. Unknown users and items never fail: the biases baseline (or popularity)
/// answers instead, and the answer says so. A model trained on implicit feedback gives scores
/// (larger = more likely to interact; not ratings) and falls back on popularity.
/// </summary>
public sealed class Recommender : IDisposable
{
    private readonly nn.Module<Tensor[], Tensor> _model;
    private readonly ModelScorer _scorer;

    private Recommender(nn.Module<Tensor[], Tensor> model, RecommendState state)
    {
        _model = model;
        _scorer = new ModelScorer(model);
        State = state;
    }

    /// <summary>Ids, baseline, titles.</summary>
    public RecommendState State { get; }

    /// <summary>Loads a model folder written by the recommend task.</summary>
    public static Recommender Load(string modelDir)
    {
        var manifest = ModelArtifact.LoadManifest(modelDir, RecommendTask.Name);
        var state = RecommendArtifact.Read(manifest, Path.Combine(modelDir, ModelArtifact.ManifestFile));
        var model = RecommendModels.Create(state.Model, state.Users.Count, state.Items.Count, state.Baselines.Min, state.Baselines.Max, state.Feedback);
        ModelArtifact.LoadWeights(modelDir, model);
        return new Recommender(model, state);
    }

    /// <summary>
    /// Reads a pairs file (user, item[, rating]) laid out as the training file was (columns by the same
    /// names or positions). For an implicit model a rating column is read only when
    /// <paramref name="requireRatings"/> and the run thresholded ratings (<see cref="RecommendState.PositiveFrom"/>),
    /// and the result holds the interactions.
    /// </summary>
    public RatingsLog ReadPairs(string path, bool requireRatings = false)
    {
        bool ratings = requireRatings && (!State.IsImplicit || State.PositiveFrom is not null);
        var log = RatingsFile.Load(path, State.Layout with { Rating = ratings ? State.Layout.Rating : null, Timestamp = null }, ratings, interactions: State.IsImplicit);
        return State.IsImplicit && requireRatings ? ImplicitFeedback.Interactions(log, State.PositiveFrom, TextWriter.Null) : log;
    }

    /// <summary>
    /// Writes <c>user,item,prediction,cold_start[,title]</c> for each distinct pair: the model's rating
    /// clipped to the range, or for an unknown user or item the biases baseline's, with cold_start
    /// saying which (user, item or both; empty when the model rated it).
    /// </summary>
    /// <remarks>
    /// An implicit model writes <c>user,item,score,cold_start[,title]</c> instead: the model's score
    /// s(u, i) = p_u·q_i + b_i (not a rating; only its order among items matters), empty for a cold pair.
    /// </remarks>
    public int WritePredictions(RatingsLog pairs, TextWriter output)
    {
        var mapped = RatingPairs.From(pairs.Rows, State.Users, State.Items);
        string[] predicted = State.IsImplicit ? Scores(mapped) : RecommendEvaluation.Predict(_scorer, mapped, State.Baselines).Select(Number).ToArray();
        bool titles = State.Titles.Count > 0;
        string column = State.IsImplicit ? "score" : "prediction";
        output.WriteLine(titles ? $"user,item,{column},cold_start,title" : $"user,item,{column},cold_start");
        for (int k = 0; k < mapped.Count; k++)
        {
            string cold = (mapped.Users[k] < 0, mapped.Items[k] < 0) switch { (true, true) => "both", (true, false) => "user", (false, true) => "item", _ => "" };
            var r = pairs.Rows[k];
            output.Write($"{Csv(r.User)},{Csv(r.Item)},{predicted[k]},{cold}");
            output.WriteLine(titles ? "," + Csv(State.Title(r.Item)) : "");
        }
        return mapped.Count;
    }

    // The implicit model's score of each warm pair; "" for a cold one (no vector to score it with).
    private string[] Scores(RatingPairs pairs)
    {
        var warm = Enumerable.Range(0, pairs.Count).Where(pairs.IsWarm).ToArray();
        var scores = _scorer.Score(warm.Select(k => pairs.Users[k]).ToArray(), warm.Select(k => pairs.Items[k]).ToArray());
        var text = new string[pairs.Count];
        Array.Fill(text, "");
        for (int w = 0; w < warm.Length; w++) text[warm[w]] = Number(scores[w]);
        return text;
    }

    private static string Number(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>
    /// The <paramref name="k"/> items with the highest predicted rating (an implicit model: score) that
    /// <paramref name="user"/> has not rated (interacted with) in training.
    /// </summary>
    public RecommendationList Recommend(string user, int k)
    {
        if (k < 1) throw new UserError($"--k must be at least 1, not {k}");
        int u = State.Users.Find(user);
        var b = State.Baselines;
        if (State.IsImplicit)
        {
            if (u < 0) return MostPopular($"user '{user}' is not in the training data (cold start): these are the items with the most training interactions", k);
            var s = _scorer.ScoreAllItems([u], State.Items.Count)[0];
            return new RecommendationList(List(RankingMetrics.TopK(s, k, State.Rated[u].ToHashSet()), i => s[i]), "score", null);
        }
        if (u < 0)
        {
            var baseline = b.ItemScores(BaselineKind.Biases)!;
            return new RecommendationList(List(RankingMetrics.TopK(baseline, k), i => b.Predict(BaselineKind.Biases, -1, i)), "predicted rating",
                $"user '{user}' is not in the training data (cold start): these are the items with the highest rating by the user+item biases baseline (μ + b_i)");
        }
        var scores = _scorer.ScoreAllItems([u], State.Items.Count)[0];
        // Ranked by predicted rating + w · ln(1 + ratings of the item); the list shows the predicted rating.
        var ranking = PopularityBlend.Apply((float[])scores.Clone(), b.ItemCount, State.PopularityWeight);
        var top = RankingMetrics.TopK(ranking, k, State.Rated[u].ToHashSet());
        return new RecommendationList(List(top, i => Math.Clamp(scores[i], b.Min, b.Max)), "predicted rating", null);
    }

    /// <summary>The <paramref name="k"/> items nearest to <paramref name="item"/> by cosine similarity of the item embeddings.</summary>
    public RecommendationList SimilarTo(string item, int k)
    {
        if (k < 1) throw new UserError($"--k must be at least 1, not {k}");
        int i = State.Items.Find(item);
        if (i < 0)
            return MostPopular($"item '{item}' is not in the training data (cold start): these are the most {(State.IsImplicit ? "interacted-with" : "rated")} items instead", k);
        float[] cosine;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var v = ((IRecommenderModel)_model).ItemVectors();                // (I, F)
            var unit = nn.functional.normalize(v, p: 2, dim: 1);              // (I, F), rows of norm 1
            var sim = unit.mv(unit[i]);                                       // (I)
            cosine = sim.to_type(ScalarType.Float32).data<float>().ToArray();
        }
        var top = RankingMetrics.TopK(cosine, k, new HashSet<int> { i });
        return new RecommendationList(List(top, j => cosine[j]), "cosine similarity", null);
    }

    /// <summary>
    /// Rating and top-k metrics on labelled pairs, beside the biases and popularity baselines; for an
    /// implicit model, top-k on the interactions beside popularity and random.
    /// </summary>
    public RecommendScores Evaluate(RatingsLog ratings)
    {
        var pairs = RatingPairs.From(ratings.Rows, State.Users, State.Items);
        var seen = State.Rated.Select(r => r.ToHashSet()).ToArray();
        return State.IsImplicit
            ? ImplicitEvaluation.Evaluate(_scorer, seen, pairs, State.Baselines.ItemCount, State.Eval.K)
            : RecommendEvaluation.Evaluate(_scorer, seen, pairs, State.Items.Count, State.Baselines, State.Eval, State.PopularityWeight);
    }

    private RecommendationList MostPopular(string note, int k)
    {
        var counts = State.Baselines.ItemScores(BaselineKind.Popularity)!;
        return new RecommendationList(List(RankingMetrics.TopK(counts, k), j => counts[j]), State.IsImplicit ? "training interactions" : "training ratings", note);
    }

    private List<RecommendedItem> List(int[] top, Func<int, double> score)
        => top.Select((i, r) => new RecommendedItem(r + 1, State.Items.Ids[i], State.Title(State.Items.Ids[i]), score(i))).ToList();

    private static string Csv(string field) => field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";

    /// <inheritdoc />
    public void Dispose() => _model.Dispose();
}
