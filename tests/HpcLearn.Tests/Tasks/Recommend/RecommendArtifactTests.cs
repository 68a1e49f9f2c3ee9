using System.Text.Json.Nodes;
using HpcLearn.Tasks.Recommend;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;
using static HpcLearn.Tests.Training.ModelJson;

namespace HpcLearn.Tests.Tasks.Recommend;

/// <summary>A small untrained recommender's folder, then its model.json damaged one number at a time.</summary>
public sealed class RecommendArtifactTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Save(RecommendModelOptions options, FeedbackKind feedback = FeedbackKind.Explicit)
    {
        var baselines = RatingBaselines.FromSaved(3.5, [0.1f, -0.1f, 0], [0.2f, 0], [4, 2], 1, 5);
        var state = new RecommendState(options, new IdMap(["u1", "u2", "u3"]), new IdMap(["i1", "i2"]), baselines,
            [[0], [1], []], new Dictionary<string, string>(), new RatingsLayout(), new RecommendEvalOptions(), feedback);
        string dir = _dir[$"model-{Guid.NewGuid():N}"];
        using var model = RecommendModels.Create(options, 3, 2, 1, 5, feedback);
        ModelArtifact.Save(dir, model, new ModelManifest { Task = RecommendTask.Name, Details = RecommendArtifact.Details(state) });
        return dir;
    }

    private static string Load(string dir) => Error(() => Recommender.Load(dir).Dispose());

    [Theory]
    [InlineData(RecommendModelKind.Dot, FeedbackKind.Explicit)]
    [InlineData(RecommendModelKind.Neural, FeedbackKind.Explicit)]
    [InlineData(RecommendModelKind.Dot, FeedbackKind.Implicit)]
    public void The_parameter_count_from_the_architecture_is_the_networks(RecommendModelKind kind, FeedbackKind feedback)
    {
        var options = new RecommendModelOptions { Kind = kind, Factors = 5, Layers = [7, 3] };
        using var model = RecommendModels.Create(options, 11, 13, 1, 5, feedback);
        Assert.Equal(model.parameters().Sum(p => p.numel()), RecommendModels.CountParameters(options, 11, 13, feedback));
    }

    [Fact]
    public void An_untouched_folder_loads()
    {
        using var r = Recommender.Load(Save(new RecommendModelOptions { Factors = 4 }));
        Assert.Equal(3, r.State.Users.Count);
    }

    [Theory]
    [InlineData("Factors", "2147483647", "details.architecture.Factors is 2147483647; it must be from 1 to 1,000,000")]
    [InlineData("Factors", "0", "details.architecture.Factors is 0; it must be from 1 to 1,000,000")]
    [InlineData("Layers", "[-5]", "details.architecture.Layers[0] is -5; it must be from 1 to 1,000,000")]
    [InlineData("Dropout", "1.5", "details.architecture.Dropout is 1.5; it must be in [0, 1)")]
    public void Architecture_values_out_of_bounds_are_refused(string key, string value, string error)
    {
        string dir = Save(new RecommendModelOptions { Factors = 4 });
        EditDetails(dir, d => d["architecture"]![key] = JsonNode.Parse(value));
        Assert.Equal($"{PathIn(dir)}: {error}; {Damaged}", Load(dir));
    }

    [Fact]
    public void Widths_each_allowed_but_too_many_parameters_together_are_refused()
    {
        string dir = Save(new RecommendModelOptions { Kind = RecommendModelKind.Neural, Factors = 4, Layers = [8] });
        EditDetails(dir, d => d["architecture"]!["Layers"] = new JsonArray(1_000_000, 1_000_000));
        // (3 + 2)·4 embeddings, then (8 + 1)·1e6, (1e6 + 1)·1e6 and (1e6 + 1)·1.
        Assert.Equal($"{PathIn(dir)}: the architecture in its details has 1,000,011,000,021 parameters, over hpclearn's limit of 2,147,483,648; {Damaged}", Load(dir));
    }
}
