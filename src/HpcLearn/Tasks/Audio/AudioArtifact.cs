using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using HpcLearn.Data.Audio;
using HpcLearn.Tasks.Shared;
using HpcLearn.Tasks.Vision;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Tasks.Audio;

/// <summary>What model.json's <c>details</c> holds for a sound classifier: all predict needs besides the weights.</summary>
public sealed record AudioArtifact
{
    /// <summary>Sample rate, clip length and spectrogram settings used in training.</summary>
    [JsonPropertyName("audio")] public AudioOptions Audio { get; init; } = new();

    /// <summary>The network's options.</summary>
    [JsonPropertyName("model")] public VisionModelOptions Model { get; init; } = new();

    /// <summary>Class names in output order.</summary>
    [JsonPropertyName("classes")] public string[] Classes { get; init; } = [];

    /// <summary>Training clips per class (the baseline's prior).</summary>
    [JsonPropertyName("class_counts")] public int[] ClassCounts { get; init; } = [];

    /// <summary>Per-band mean of the training log-mel spectrograms.</summary>
    [JsonPropertyName("band_mean")] public float[] BandMean { get; init; } = [];

    /// <summary>Per-band standard deviation of the training log-mel spectrograms.</summary>
    [JsonPropertyName("band_std")] public float[] BandStd { get; init; } = [];

    /// <summary>Temperature that calibrates the probabilities (1: none).</summary>
    [JsonPropertyName("temperature")] public double Temperature { get; init; } = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>The band statistics as a record.</summary>
    public SpectrogramStats Stats => new(BandMean, BandStd);

    /// <summary>As a JSON object for <see cref="HpcLearn.Runs.ModelManifest.Details"/>.</summary>
    public JsonObject ToJson() => JsonSerializer.SerializeToNode(this, Json)!.AsObject();

    // Bounds before the network is built: a forged size must not allocate gigabytes, a zero std must not give NaN.
    private void Check(ArchitectureCheck c)
    {
        try { Audio.Validate(); }
        catch (UserError e) { throw c.Error("details." + e.Message.Split(':')[0], e.Message[(e.Message.IndexOf(':') + 1)..].TrimStart()); }
        Model.Check(c, "details.model");
        c.Range("details.classes (count)", Classes.Length, 2, ArchitectureCheck.MaxWidth);
        for (int i = 0; i < ClassCounts.Length; i++) c.Range($"details.class_counts[{i}]", ClassCounts[i], 0, int.MaxValue);
        c.Finite("details.band_mean", BandMean.Select(v => (double)v).ToArray());
        c.Positive("details.band_std", BandStd.Select(v => (double)v).ToArray());
        c.Positive("details.temperature", Temperature);
        c.Parameters(VisionModels.CountParameters(Model, 1, Audio.NMels, Audio.Frames, Classes.Length));
    }

    /// <summary>Reads the details of <paramref name="modelDir"/>'s model.json.</summary>
    public static AudioArtifact FromJson(JsonObject details, string modelDir)
    {
        try
        {
            var a = details.Deserialize<AudioArtifact>(Json);
            if (a is null || a.Classes.Length < 2 || a.BandMean.Length != a.Audio.NMels || a.BandStd.Length != a.Audio.NMels
                || a.ClassCounts.Length != a.Classes.Length)
                throw new UserError($"{modelDir}/model.json: the audio details are incomplete; train the model again");
            a.Check(new ArchitectureCheck($"{modelDir}/model.json"));
            return a;
        }
        catch (JsonException e)
        {
            throw new UserError($"{modelDir}/model.json: unreadable audio details ({e.Message}); train the model again");
        }
    }
}
