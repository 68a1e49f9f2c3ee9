using System.Text.Json.Nodes;
using HpcLearn.Data.Audio;
using HpcLearn.Tasks.Audio;
using HpcLearn.Tasks.Shared;
using HpcLearn.Tasks.Vision;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;
using static HpcLearn.Tests.Training.ModelJson;

namespace HpcLearn.Tests.Tasks.Audio;

/// <summary>A small untrained sound classifier's folder, then its model.json damaged one number at a time.</summary>
public sealed class AudioArtifactTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Save()
    {
        var audio = new AudioOptions { NMels = 16 };
        var artifact = new AudioArtifact
        {
            Audio = audio, Model = new VisionModelOptions { Widths = [4], Hidden = 8 },
            Classes = ["wren", "owl"], ClassCounts = [3, 3],
            BandMean = new float[16], BandStd = Enumerable.Repeat(1f, 16).ToArray(),
        };
        string dir = _dir["model"];
        using var model = VisionModels.Create(artifact.Model, 1, audio.NMels, audio.Frames, 2);
        ModelArtifact.Save(dir, model, new ModelManifest { Task = AudioTask.Name, Details = artifact.ToJson() });
        return dir;
    }

    private static string Load(string dir) => Error(() => AudioPredictor.Load(dir).Dispose());

    [Fact]
    public void An_untouched_folder_loads()
    {
        using var p = AudioPredictor.Load(Save());
        Assert.Equal(16, p.Artifact.Audio.NMels);
    }

    [Fact]
    public void A_zero_band_std_is_refused()
    {
        string dir = Save();
        EditDetails(dir, d => d["band_std"]![3] = 0);
        Assert.Equal($"{dir}/model.json: details.band_std[3] is 0; it must be a positive finite number; {Damaged}", Load(dir));
    }

    [Fact]
    public void Spectrogram_settings_that_would_make_a_huge_input_are_refused()
    {
        string dir = Save();
        EditDetails(dir, d => d["audio"]!["n_fft"] = 1 << 30);
        Assert.Equal($"{dir}/model.json: details.audio n_fft must be a power of two from 16 to 65536 (got 1073741824); {Damaged}", Load(dir));

        EditDetails(dir, d => { d["audio"]!["n_fft"] = 512; d["audio"]!["hop"] = 1; d["audio"]!["clip_seconds"] = 600; });
        Assert.Equal($"{dir}/model.json: details.audio n_mels x frames = 16 x 9600001 is over 50,000,000 values a clip; use a longer hop, fewer mels or shorter clips; {Damaged}", Load(dir));
    }

    [Fact]
    public void A_network_width_out_of_bounds_is_refused()
    {
        string dir = Save();
        EditDetails(dir, d => d["model"]!["widths"] = new JsonArray(-5));
        Assert.Equal($"{dir}/model.json: details.model.widths[0] is -5; it must be from 1 to 1,000,000; {Damaged}", Load(dir));
    }
}
