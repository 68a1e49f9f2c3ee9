using System.Text.Json;
using System.Text.Json.Nodes;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Tasks.Recommend;

/// <summary>The recommend part of model.json (<see cref="RecommendState"/>) written and read back.</summary>
public static class RecommendArtifact
{
    /// <summary>The <c>details</c> object for model.json.</summary>
    public static JsonObject Details(RecommendState s)
    {
        var j = CheckpointStore.Json;
        var b = s.Baselines;
        return new JsonObject
        {
            ["architecture"] = JsonSerializer.SerializeToNode(s.Model, j),
            ["feedback"] = s.IsImplicit ? "implicit" : "explicit",
            ["positive_from"] = s.PositiveFrom,
            ["popularity_weight"] = s.PopularityWeight,
            ["rating_min"] = b.Min,
            ["rating_max"] = b.Max,
            ["layout"] = JsonSerializer.SerializeToNode(s.Layout, j),
            ["eval"] = JsonSerializer.SerializeToNode(s.Eval, j),
            ["users"] = JsonSerializer.SerializeToNode(s.Users.Ids, j),
            ["items"] = JsonSerializer.SerializeToNode(s.Items.Ids, j),
            ["baseline"] = new JsonObject
            {
                ["global_mean"] = b.GlobalMean,
                ["user_bias"] = JsonSerializer.SerializeToNode(b.UserBias, j),
                ["item_bias"] = JsonSerializer.SerializeToNode(b.ItemBias, j),
                ["item_count"] = JsonSerializer.SerializeToNode(b.ItemCount, j),
            },
            ["rated"] = JsonSerializer.SerializeToNode(s.Rated, j),
            ["titles"] = JsonSerializer.SerializeToNode(s.Items.Ids.Where(s.Titles.ContainsKey).ToDictionary(i => i, i => s.Titles[i]), j),
        };
    }

    /// <summary>Reads the details back; a <see cref="UserError"/> naming the file when anything is missing or inconsistent.</summary>
    public static RecommendState Read(ModelManifest manifest, string path)
    {
        try
        {
            var d = manifest.Details;
            var j = CheckpointStore.Json;
            var model = d["architecture"].Deserialize<RecommendModelOptions>(j) ?? throw new JsonException("architecture");
            var users = d["users"].Deserialize<string[]>(j) ?? throw new JsonException("users");
            var items = d["items"].Deserialize<string[]>(j) ?? throw new JsonException("items");
            var b = d["baseline"]!.AsObject();
            var userBias = b["user_bias"].Deserialize<float[]>(j) ?? throw new JsonException("user_bias");
            var itemBias = b["item_bias"].Deserialize<float[]>(j) ?? throw new JsonException("item_bias");
            var itemCount = b["item_count"].Deserialize<int[]>(j) ?? throw new JsonException("item_count");
            var rated = d["rated"].Deserialize<int[][]>(j) ?? throw new JsonException("rated");
            if (userBias.Length != users.Length || rated.Length != users.Length || itemBias.Length != items.Length || itemCount.Length != items.Length)
                throw new JsonException("sizes differ");
            var baselines = RatingBaselines.FromSaved(b["global_mean"]!.GetValue<double>(), userBias, itemBias, itemCount,
                d["rating_min"]!.GetValue<float>(), d["rating_max"]!.GetValue<float>());
            var titles = d["titles"].Deserialize<Dictionary<string, string>>(j) ?? new();
            var layout = d["layout"].Deserialize<RatingsLayout>(j) ?? new RatingsLayout();
            var eval = d["eval"].Deserialize<RecommendEvalOptions>(j) ?? new RecommendEvalOptions();
            var feedback = d["feedback"]?.GetValue<string>() switch
            {
                null or "explicit" => FeedbackKind.Explicit, // models written before implicit feedback existed
                "implicit" => FeedbackKind.Implicit,
                var other => throw new JsonException($"feedback '{other}'"),
            };
            double? positiveFrom = d["positive_from"]?.GetValue<double>();
            double popularityWeight = d["popularity_weight"]?.GetValue<double>() ?? 0; // models written before the blend rank by rating alone
            Check(new ArchitectureCheck(path), model, users.Length, items.Length, baselines, feedback);
            if (!(popularityWeight is >= 0 and <= 100)) throw new ArchitectureCheck(path).Error("details.popularity_weight", $"is {popularityWeight}; it must be from 0 to 100");
            return new RecommendState(model, new IdMap(users), new IdMap(items), baselines, rated, titles, layout, eval, feedback, positiveFrom, popularityWeight);
        }
        catch (Exception e) when (e is JsonException or NullReferenceException or InvalidOperationException or ArgumentException)
        {
            throw new UserError($"{path}: the recommend details (ids, baseline, architecture) are missing or damaged; retrain the model", e);
        }
    }

    // Bounds before the network is built: a forged width must not allocate gigabytes.
    private static void Check(ArchitectureCheck c, RecommendModelOptions model, int users, int items, RatingBaselines b, FeedbackKind feedback)
    {
        const string a = "details.architecture";
        c.Width($"{a}.Factors", model.Factors);
        c.Depth($"{a}.Layers (count)", model.Layers.Count);
        for (int i = 0; i < model.Layers.Count; i++) c.Width($"{a}.Layers[{i}]", model.Layers[i]);
        if (!(model.Dropout is >= 0 and < 1)) throw c.Error($"{a}.Dropout", $"is {model.Dropout}; it must be in [0, 1)");
        if (!(model.RangeMargin is >= 0 and < double.PositiveInfinity)) throw c.Error($"{a}.RangeMargin", $"is {model.RangeMargin}; it must be 0 or more");
        c.Range("details.users (count)", users, 1, int.MaxValue);
        c.Range("details.items (count)", items, 1, int.MaxValue);
        c.Finite("details.baseline.global_mean", b.GlobalMean);
        c.Finite("details.rating_min", b.Min);
        c.Finite("details.rating_max", b.Max);
        if (!(b.Min <= b.Max)) throw c.Error("details.rating_min", $"is {b.Min}, above rating_max {b.Max}");
        c.Parameters(RecommendModels.CountParameters(model, users, items, feedback));
    }
}
