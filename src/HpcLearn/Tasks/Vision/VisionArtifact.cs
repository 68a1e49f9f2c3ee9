using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using HpcLearn.Data.Images;
using HpcLearn.Runs;
using HpcLearn.Tasks.Shared;
using HpcLearn.Training;

namespace HpcLearn.Tasks.Vision;

/// <summary>What model.json's <c>details</c> holds for an image classifier: all predict needs besides the weights.</summary>
public sealed record VisionArtifact
{
    /// <summary>The network's options.</summary>
    [JsonPropertyName("model")] public VisionModelOptions Model { get; init; } = new();

    /// <summary>Input channels (1 grey, 3 RGB).</summary>
    [JsonPropertyName("channels")] public int Channels { get; init; }

    /// <summary>Input height in pixels.</summary>
    [JsonPropertyName("height")] public int Height { get; init; }

    /// <summary>Input width in pixels.</summary>
    [JsonPropertyName("width")] public int Width { get; init; }

    /// <summary>Class names in output order.</summary>
    [JsonPropertyName("classes")] public string[] Classes { get; init; } = [];

    /// <summary>Training images per class (the baseline's prior).</summary>
    [JsonPropertyName("class_counts")] public int[] ClassCounts { get; init; } = [];

    /// <summary>Per-channel mean of the training pixels in [0, 1].</summary>
    [JsonPropertyName("mean")] public double[] Mean { get; init; } = [];

    /// <summary>Per-channel standard deviation of the training pixels in [0, 1].</summary>
    [JsonPropertyName("std")] public double[] Std { get; init; } = [];

    /// <summary>Temperature that calibrates the probabilities (1: none).</summary>
    [JsonPropertyName("temperature")] public double Temperature { get; init; } = 1;

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>As a JSON object for <see cref="HpcLearn.Runs.ModelManifest.Details"/>.</summary>
    public JsonObject ToJson() => JsonSerializer.SerializeToNode(this, Json)!.AsObject();

    // Bounds before the network is built: a forged size must not allocate gigabytes, a zero std must not give NaN.
    private void Check(ArchitectureCheck c)
    {
        Model.Check(c, "details.model");
        c.Width("details.height", Height);
        c.Width("details.width", Width);
        if ((long)Height * Width > ImageFile.MaxPixels)
            throw c.Error("details.height x details.width", $"is {Height} x {Width}; at most {ImageFile.MaxPixels:N0} pixels");
        c.Range("details.classes (count)", Classes.Length, 2, ArchitectureCheck.MaxWidth);
        for (int i = 0; i < ClassCounts.Length; i++) c.Range($"details.class_counts[{i}]", ClassCounts[i], 0, int.MaxValue);
        c.Finite("details.mean", Mean);
        c.Positive("details.std", Std);
        c.Positive("details.temperature", Temperature);
        c.Parameters(VisionModels.CountParameters(Model, Channels, Height, Width, Classes.Length));
    }

    /// <summary>Reads the details of <paramref name="modelDir"/>'s model.json.</summary>
    public static VisionArtifact FromJson(JsonObject details, string modelDir)
    {
        try
        {
            var a = details.Deserialize<VisionArtifact>(Json);
            if (a is null || a.Classes.Length < 2 || a.Channels is not (1 or 3) || a.Mean.Length != a.Channels || a.Std.Length != a.Channels
                || a.ClassCounts.Length != a.Classes.Length)
                throw new UserError($"{modelDir}/model.json: the vision details are incomplete; train the model again");
            a.Check(new ArchitectureCheck($"{modelDir}/model.json"));
            return a;
        }
        catch (JsonException e)
        {
            throw new UserError($"{modelDir}/model.json: unreadable vision details ({e.Message}); train the model again");
        }
    }
}
