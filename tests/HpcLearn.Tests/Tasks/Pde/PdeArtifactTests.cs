using System.Text.Json.Nodes;
using HpcLearn.Tasks.Pde;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;
using static HpcLearn.Tests.Training.ModelJson;

namespace HpcLearn.Tests.Tasks.Pde;

/// <summary>A small untrained PINN's folder, then its model.json damaged one number at a time.</summary>
public sealed class PdeArtifactTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly PdeArtifact Artifact = new()
    {
        Equation = "burgers", Variables = ["x", "t"], Lower = [-1, 0], Upper = [1, 1], Layers = [2, 8, 8, 1],
    };

    private string Save()
    {
        string dir = _dir["model"];
        using var model = Artifact.CreateModel();
        ModelArtifact.Save(dir, model, new ModelManifest { Task = PdeTask.Name, Details = Artifact.ToJson() });
        return dir;
    }

    private string Load(string dir) => Error(() => new PdeTask().Predict(dir, _dir["points.csv"], TextWriter.Null));

    [Theory]
    [InlineData("layers", "[2, 1000000000, 1]", "details.layers[1] is 1000000000; it must be from 1 to 1,000,000")]
    [InlineData("layers", "[2, -5, 1]", "details.layers[1] is -5; it must be from 1 to 1,000,000")]
    [InlineData("upper", "[1, 0]", "details.lower[1] is 0, not below upper[1] = 0")]
    [InlineData("activation", "\"relu\"", "details.activation is 'relu'; it must be tanh or sin")]
    public void Values_out_of_bounds_are_refused(string key, string value, string error)
    {
        string dir = Save();
        EditDetails(dir, d => d[key] = JsonNode.Parse(value));
        Assert.Equal($"{dir}/model.json: {error}; {Damaged}", Load(dir));
    }

    [Fact]
    public void Widths_each_allowed_but_too_many_parameters_together_are_refused()
    {
        string dir = Save();
        EditDetails(dir, d => d["layers"] = new JsonArray(2, 1_000_000, 1_000_000, 1));
        Assert.Equal($"{dir}/model.json: the architecture in its details has 1,000,005,000,001 parameters, over hpclearn's limit of 2,147,483,648; {Damaged}", Load(dir));
    }
}
