using System.Text.Json.Nodes;
using HpcLearn.Tasks.Shared;
using HpcLearn.Tasks.Vision;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;
using static HpcLearn.Tests.Training.ModelJson;

namespace HpcLearn.Tests.Tasks.Vision;

/// <summary>A small untrained image classifier's folder, then its model.json damaged one number at a time.</summary>
public sealed class VisionArtifactTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly VisionArtifact Artifact = new()
    {
        Model = new VisionModelOptions { Widths = [4, 8], Hidden = 8 },
        Channels = 1, Height = 16, Width = 16,
        Classes = ["a", "b"], ClassCounts = [5, 5], Mean = [0.5], Std = [0.2],
    };

    private string Save()
    {
        string dir = _dir["model"];
        using var model = VisionModels.Create(Artifact.Model, Artifact.Channels, Artifact.Height, Artifact.Width, Artifact.Classes.Length);
        ModelArtifact.Save(dir, model, new ModelManifest { Task = VisionTask.Name, Details = Artifact.ToJson() });
        return dir;
    }

    private static string Load(string dir) => Error(() => VisionPredictor.Load(dir).Dispose());

    [Theory]
    [InlineData("cnn", 1, 16, 16, 1)]
    [InlineData("cnn", 3, 5, 40, 1)]     // pooling stops once a side is 1
    [InlineData("cnn", 3, 200, 120, 1)]  // the adaptive pool caps the head at 7 x 7
    [InlineData("resnet", 3, 16, 16, 1)]
    [InlineData("resnet", 1, 8, 8, 2)]   // projections on the first block of each later stage only
    public void The_parameter_count_from_the_architecture_is_the_networks(string arch, int channels, int h, int w, int blocks)
    {
        var options = new VisionModelOptions { Arch = arch, Widths = arch == "cnn" ? [4, 8, 6] : [4, 8, 8], Blocks = blocks, Hidden = 10 };
        using var model = VisionModels.Create(options, channels, h, w, 3);
        Assert.Equal(model.parameters().Sum(p => p.numel()), VisionModels.CountParameters(options, channels, h, w, 3));
    }

    [Fact]
    public void An_untouched_folder_loads()
    {
        using var p = VisionPredictor.Load(Save());
        Assert.Equal(16, p.Artifact.Height);
    }

    [Theory]
    [InlineData("model", "widths", "[1000000000]", "details.model.widths[0] is 1000000000; it must be from 1 to 1,000,000")]
    [InlineData("model", "hidden", "-5", "details.model.hidden is -5; it must be from 1 to 1,000,000")]
    [InlineData("model", "blocks", "1000000", "details.model.blocks is 1000000; it must be from 1 to 10,000")]
    [InlineData(null, "std", "[0]", "details.std[0] is 0; it must be a positive finite number")]
    [InlineData(null, "temperature", "0", "details.temperature is 0; it must be a positive finite number")]
    [InlineData(null, "height", "0", "details.height is 0; it must be from 1 to 1,000,000")]
    [InlineData(null, "height", "20000", "details.height x details.width is 20000 x 16; at most 50,000,000 pixels")]
    public void Values_out_of_bounds_are_refused_naming_the_key(string? section, string key, string value, string error)
    {
        string dir = Save();
        EditDetails(dir, d =>
        {
            var target = section is null ? d : d[section]!.AsObject();
            target[key] = JsonNode.Parse(value);
            if (key == "height" && value == "20000") d["width"] = 20000;
        });
        Assert.Equal($"{dir}/model.json: {error.Replace("x 16", "x 20000")}; {Damaged}", Load(dir));
    }

    [Fact]
    public void Widths_each_allowed_but_too_many_parameters_together_are_refused()
    {
        string dir = Save();
        EditDetails(dir, d => d["model"]!["widths"] = new JsonArray(1_000_000, 1_000_000));
        // 9·1e6 + 2e6, 9e12 + 2e6 for the convolutions, (1e6·4·4 + 1)·8 + 9·2 for the head.
        Assert.Equal($"{dir}/model.json: the architecture in its details has 9,000,141,000,026 parameters, over hpclearn's limit of 2,147,483,648; {Damaged}", Load(dir));
    }
}
