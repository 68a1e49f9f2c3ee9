using System.Text.Json.Nodes;
using HpcLearn.Config;
using HpcLearn.Data.Audio;
using HpcLearn.Tasks;
using HpcLearn.Tasks.Audio;
using HpcLearn.Tests.Cli;
using HpcLearn.Tests.Runs;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Training;
using Xunit;

namespace HpcLearn.Tests.Tasks.Audio;

/// <summary>
/// Bird calls at 16 kHz to train on and others at 22.05 kHz to test on, in WAV class folders; one
/// run through the command line with <c>data.test_path</c>, made once for the class.
/// </summary>
public sealed class AudioTestSetFixture : IDisposable
{
    public TempFolder Root { get; } = new();

    public AudioTestSetFixture()
    {
        SyntheticBirdCalls.WriteFolder(Root["train"], 16, seed: 3, new SyntheticBirdCallsOptions { SampleRate = 16000, ClipSeconds = 0.5 });
        SyntheticBirdCalls.WriteFolder(Root["test"], 6, seed: 5, new SyntheticBirdCallsOptions { SampleRate = 22050, ClipSeconds = 0.5 });
        ConfigPath = Yaml("held", $"  test_path: {Root["test"]}\n  valid_fraction: 0.25\n");
        Log = Cli.Cli.Run("train", ConfigPath, "--out", Root["runs"]).AssertOk(allowStderr: true).Out;
    }

    /// <summary>An audio config over the training folder with <paramref name="data"/> added to its data section.</summary>
    public string Yaml(string name, string data, string train = "  epochs: 4\n") => Root.Write(name + ".yaml",
        $"task: audio\nname: {name}\nseed: 1\ndata:\n  source: folder\n  path: {Root["train"]}\n{data}" +
        "audio:\n  clip_seconds: 0.5\n  n_fft: 256\n  hop: 160\n  n_mels: 32\nmodel:\n  widths: [8, 16]\n  hidden: 32\n" +
        $"train:\n{train}  batch_size: 16\n  lr: 0.005\n");

    public string ConfigPath { get; }
    public string Log { get; }
    public string RunDir => Path.Combine(Root["runs"], "held");

    public void Dispose() => Root.Dispose();
}

[Collection(TorchGlobalStateCollection.Name)]
public sealed class AudioTestSetTests(AudioTestSetFixture f) : IClassFixture<AudioTestSetFixture>
{
    private static JsonNode Summary(string runDir) => JsonNode.Parse(File.ReadAllText(Path.Combine(runDir, "summary.json")))!;

    private static AudioConfig Load(string path) =>
        Assert.IsType<AudioConfig>(ConfigLoader.LoadFromText(File.ReadAllText(path), path, [], n => TaskRegistry.Find(n)?.ConfigType));

    [Fact]
    public void Test_metrics_equal_an_independent_evaluation_of_the_saved_model_on_the_test_folder()
    {
        string log = f.Log;
        Assert.Contains($"test: 30 clips from {f.Root["test"]}, measured once after training; validation: 20 clips of {f.Root["train"]}", log);
        Assert.Contains("validation (20 examples):", log);
        Assert.Contains($"test (30 clips of {f.Root["test"]}):", log);
        var summary = Summary(f.RunDir);
        using var predictor = AudioPredictor.Load(Path.Combine(f.RunDir, "model"));
        var (metrics, baseline) = predictor.Evaluate(f.Root["test"], TextWriter.Null);
        Assert.Equal(metrics["accuracy"], summary["test_accuracy"]!.GetValue<double>(), 9);
        Assert.Equal(metrics["macro_f1"], summary["test_macro_f1"]!.GetValue<double>(), 9);
        // evaluate applies the model's temperature, as the calibrated test log loss does.
        Assert.Equal(metrics["log_loss"], summary["test_log_loss_calibrated"]!.GetValue<double>(), 4);
        Assert.Equal(0.2, baseline.Metrics["accuracy"], 9); // six clips of each of five classes
    }

    [Fact]
    public void The_sample_rate_comes_from_the_training_folder_and_test_clips_are_resampled_to_it()
    {
        Assert.Contains("audio: sample rate 16000 Hz, the most common rate of the files (16000 Hz: 80)", f.Log);
        Assert.Contains("note: 30 of 30 test clips resampled to 16000 Hz, as the training clips are", f.Log);
    }

    [Fact]
    public void Validation_clips_come_from_the_training_folder_only()
    {
        var config = AudioData.ResolveSampleRate(Load(f.ConfigPath), TextWriter.Null);
        using var data = AudioData.Prepare(config, TextWriter.Null);
        Assert.Equal(f.Root["train"], data.Set.Summary.Source);
        Assert.Equal(f.Root["test"], data.Test!.Summary.Source);
        Assert.Equal(80, data.Set.Count);
        Assert.Equal(80, data.TrainRows.Length + data.ValidRows.Length);
        Assert.All(data.ValidRows, i => Assert.InRange(i, 0, data.Set.Count - 1));
        Assert.Equal(30, data.TestLabels.Length);
        Assert.Equal(data.TestLabels.Length, (int)data.TestFeatures!.shape[0]);
    }

    [Fact]
    public void A_test_class_the_training_folder_lacks_is_one_line_and_no_run_folder()
    {
        var test = f.Root["test-owl"];
        SyntheticBirdCalls.WriteFolder(test, 2, seed: 9, new SyntheticBirdCallsOptions { SampleRate = 16000, ClipSeconds = 0.5 });
        Directory.Move(Path.Combine(test, Directory.GetDirectories(test).Select(Path.GetFileName).Order().First()!), Path.Combine(test, "owl"));
        string classes = string.Join(", ", Directory.GetDirectories(f.Root["train"]).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Cli.Cli.Run("train", f.Yaml("owl", $"  test_path: {test}\n"), "--out", f.Root["runs"])
            .AssertUserError($"{Path.Combine(test, "owl")}: data.test_path has class 'owl', which the training folder {f.Root["train"]} does not have; training classes: {classes}");
        Assert.False(Directory.Exists(Path.Combine(f.Root["runs"], "owl")));
    }

    [Fact]
    public void A_test_folder_without_readable_files_is_one_line_and_no_run_folder()
    {
        var test = f.Root["test-broken"];
        foreach (var c in new[] { "a", "b" })
        {
            Directory.CreateDirectory(Path.Combine(test, c));
            File.WriteAllText(Path.Combine(test, c, "x.wav"), "not a wav");
        }
        Cli.Cli.Run("train", f.Yaml("broken", $"  test_path: {test}\n"), "--out", f.Root["runs"])
            .AssertUserErrorStartsWith($"{test}: 2 of 2 files could not be read");
        Assert.False(Directory.Exists(Path.Combine(f.Root["runs"], "broken")));
    }

    [Fact]
    public void Valid_fraction_zero_without_a_test_folder_is_one_line()
    {
        Cli.Cli.Run("train", f.Yaml("nothing", "  valid_fraction: 0\n"), "--out", f.Root["runs"])
            .AssertUserError("data.valid_fraction: 0 leaves no clips to measure the model on: set data.test_path to a test folder, or a fraction such as 0.2");
        Assert.False(Directory.Exists(Path.Combine(f.Root["runs"], "nothing")));
    }

    [Fact]
    public void Early_stopping_without_validation_clips_is_one_line_and_no_run_folder()
    {
        Cli.Cli.Run("train", f.Yaml("early", $"  test_path: {f.Root["test"]}\n  valid_fraction: 0\n", "  epochs: 4\n  early_stopping_patience: 2\n"), "--out", f.Root["runs"])
            .AssertUserError("train.early_stopping_patience: 2 watches the validation loss, but data.valid_fraction is 0 (no validation examples; the test set must not choose the epoch): set data.valid_fraction to a share such as 0.2, or leave early stopping out");
        Assert.False(Directory.Exists(Path.Combine(f.Root["runs"], "early")));
    }

    [Fact]
    public void Valid_fraction_zero_trains_on_every_clip_and_is_judged_on_the_test_folder_without_a_temperature()
    {
        var r = Cli.Cli.Run("train", f.Yaml("all", $"  test_path: {f.Root["test"]}\n  valid_fraction: 0\n", "  epochs: 1\n"), "--out", f.Root["runs"]).AssertOk(allowStderr: true);
        Assert.Contains("data: 80 training and 0 validation clips", r.Out);
        Assert.Contains($"test (30 clips of {f.Root["test"]}; no validation examples):", r.Out);
        Assert.Contains("calibration: not fitted (data.valid_fraction is 0, and the test set must not tune the model); predict uses T = 1", r.Out);
        Assert.Contains("per class (test):", r.Out);
        var summary = Summary(Path.Combine(f.Root["runs"], "all"));
        Assert.Equal(summary["accuracy"]!.GetValue<double>(), summary["test_accuracy"]!.GetValue<double>());
        Assert.Null(summary["temperature"]);
        using var predictor = AudioPredictor.Load(Path.Combine(f.Root["runs"], "all", "model"));
        Assert.Equal(1.0, predictor.Artifact.Temperature);
        var (metrics, _) = predictor.Evaluate(f.Root["test"], TextWriter.Null);
        Assert.Equal(metrics["log_loss"], summary["test_log_loss"]!.GetValue<double>(), 4);
    }

    [Fact]
    public void A_stopped_run_writes_no_test_metrics()
    {
        var config = AudioData.ResolveSampleRate(Load(f.Yaml("stopped", $"  test_path: {f.Root["test"]}\n")), TextWriter.Null);
        var (ctx, cancel) = StoppedRun.AfterBatches(f.Root["runs"], 1);
        var (summary, data) = new AudioTask { Callbacks = cancel }.Train(config, ctx);
        using (data)
        {
            Assert.True(summary.Interrupted);
            Assert.DoesNotContain(Summary(summary.RunDir!).AsObject(), p => p.Key.StartsWith("test_", StringComparison.Ordinal));
        }
    }
}
