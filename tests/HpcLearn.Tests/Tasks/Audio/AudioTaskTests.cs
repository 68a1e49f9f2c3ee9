using System.Text.Json.Nodes;
using HpcLearn.Config;
using HpcLearn.Data.Audio;
using HpcLearn.Tasks.Audio;
using HpcLearn.Tasks.Shared;
using HpcLearn.Tasks.Vision;
using HpcLearn.Tests.Cli;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;

namespace HpcLearn.Tests.Tasks.Audio;

/// <summary>Bird calls written as WAV class folders, a small CNN trained on their spectrograms once for the class.</summary>
public sealed class AudioRunFixture : IDisposable
{
    public TempFolder Root { get; } = new();

    public AudioRunFixture()
    {
        var calls = new SyntheticBirdCallsOptions { SampleRate = 16000, ClipSeconds = 0.5 };
        SyntheticBirdCalls.WriteFolder(Root["wav"], 24, seed: 3, calls);
        Config = new AudioConfig
        {
            Name = "calls",
            Data = new AudioDataOptions { Source = "folder", Path = Root["wav"], ValidFraction = 0.25 },
            Audio = new AudioOptions { SampleRate = 16000, ClipSeconds = 0.5, NFft = 256, Hop = 160, NMels = 32 },
            Model = new VisionModelOptions { Widths = [8, 16], Hidden = 32 },
            Train = new TrainOptions { Epochs = 10, BatchSize = 16, LearningRate = 0.005 },
        };
        var log = new StringWriter();
        (Summary, Data) = new AudioTask().Train(Config, new RunContext { Out = log, RunsRoot = Root["runs"], TensorBoard = false });
        Log = log.ToString();
    }

    public AudioConfig Config { get; }
    public RunSummary Summary { get; }
    public AudioData Data { get; }
    public string Log { get; }
    public string ModelDir => Path.Combine(Summary.RunDir!, "model");

    public void Dispose()
    {
        Data.Dispose();
        Root.Dispose();
    }
}

// Trains with a fixed seed: alone, so no parallel test draws from libtorch's global generator in between.
[Collection(TorchGlobalStateCollection.Name)]
public sealed class AudioTaskTests(AudioRunFixture run) : IClassFixture<AudioRunFixture>
{
    [Fact]
    public void Training_on_wav_folders_beats_the_majority_baseline()
    {
        Assert.True(run.Summary.BeatsBaseline, run.Log);
        Assert.True(run.Summary.Metrics["accuracy"] > 0.5, run.Log);
        Assert.Equal(0.2, run.Summary.Baseline!["accuracy"], 6);
        Assert.Contains("120 clips in 5 classes", run.Log);
        // The data card's last line ends before the next one starts (it once ran on: "... 120 filesdata: 90 ...").
        Assert.Matches(@"skipped 0 of 120 files\r?\ndata: 90 training and 30 validation clips", run.Log);
        var details = JsonNode.Parse(File.ReadAllText(Path.Combine(run.ModelDir, "model.json")))!["details"]!;
        Assert.Equal(32, details["band_mean"]!.AsArray().Count);
        Assert.Equal(16000, details["audio"]!["sample_rate"]!.GetValue<int>());
    }

    [Fact]
    public void The_training_spectrograms_are_normalised_per_band_with_training_statistics()
    {
        using var index = TorchSharp.torch.tensor(run.Data.TrainRows.Select(i => (long)i).ToArray());
        using var train = run.Data.Features.index_select(0, index);
        using var perBand = train.transpose(0, 2).reshape(32, -1);   // (M, N·T)
        using var mean = perBand.mean([1]);
        using var std = perBand.std(1, unbiased: false);
        Assert.All(mean.data<float>().ToArray(), m => Assert.Equal(0, m, 3));
        Assert.All(std.data<float>().ToArray(), s => Assert.True(Math.Abs(s - 1) < 1e-3 || s < 1e-3));
    }

    [Fact]
    public void Predict_on_wav_files_matches_the_model_in_memory_and_skips_a_corrupt_file()
    {
        using var dir = new TempFolder();
        var clips = run.Data.ValidRows.Take(5).Select(i => run.Data.Set.Clips[i]).ToArray();
        for (int i = 0; i < clips.Length; i++) WavWriter.Write(dir[$"c{i}.wav"], clips[i], 16000);
        File.WriteAllBytes(dir["z-bad.wav"], "RIFF\u0004\0\0\0WAVE"u8.ToArray());
        var r = Cli.Cli.Run("predict", run.ModelDir, dir.Path).AssertOk(allowStderr: true);
        Assert.Contains($"warning: skipped {dir["z-bad.wav"]}:", r.Err);
        var lines = r.Out.Trim().Split('\n');
        Assert.Equal("file,label,confidence,p_click_train,p_falling_sweep,p_harmonic_stack,p_rising_sweep,p_trill", lines[0]);
        using var predictor = AudioPredictor.Load(run.ModelDir);
        var expected = predictor.Probabilities(clips);
        for (int i = 0; i < clips.Length; i++)
        {
            var cells = lines[i + 1].Split(',');
            Assert.Equal(predictor.Artifact.Classes[Array.IndexOf(expected[i], expected[i].Max())], cells[1]);
            for (int k = 0; k < 5; k++) Assert.Equal(expected[i][k], double.Parse(cells[3 + k], System.Globalization.CultureInfo.InvariantCulture), 1e-5);
        }
    }

    [Fact]
    public void Evaluate_on_wav_folders_and_a_model_of_another_task_is_refused()
    {
        Cli.Cli.Run("evaluate", run.ModelDir, run.Config.Data.Path!).AssertOk(allowStderr: true);
        var e = Assert.Throws<UserError>(() => VisionPredictor.Load(run.ModelDir));
        Assert.Contains("audio", e.Message);
    }

    [Fact]
    public void Unknown_sources_name_the_key()
    {
        var e = Assert.Throws<UserError>(() => new AudioDataOptions { Source = "mp3" }.Validate());
        Assert.Equal("data.source: 'mp3' is not an audio source; use birdcalls or folder", e.Message);
    }
}
