using System.Text.Json.Nodes;
using HpcLearn.Config;
using HpcLearn.Data.Images;
using HpcLearn.Runs;
using HpcLearn.Tasks;
using HpcLearn.Tasks.Vision;
using HpcLearn.Tests.Cli;
using HpcLearn.Tests.Runs;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Training;
using Xunit;

namespace HpcLearn.Tests.Tasks.Vision;

/// <summary>Galaxies to train on and others to test on, as PNG class folders; one run through the command line with <c>data.test_path</c>.</summary>
public sealed class VisionTestSetFixture : IDisposable
{
    public TempFolder Root { get; } = new();

    public VisionTestSetFixture()
    {
        SyntheticGalaxies.WriteFolder(Root["train"], 160, 16, seed: 11);
        SyntheticGalaxies.WriteFolder(Root["test"], 40, 16, seed: 12);
        ConfigPath = Yaml("held", $"  test_path: {Root["test"]}\n");
        Log = Cli.Cli.Run("train", ConfigPath, "--out", Root["runs"]).AssertOk(allowStderr: true).Out;
    }

    /// <summary>A vision config over the training folder with <paramref name="data"/> added to its data section.</summary>
    public string Yaml(string name, string data, string train = "  epochs: 3\n", string source = "folder", string? path = null) => Root.Write(name + ".yaml",
        $"task: vision\nname: {name}\nseed: 1\ndata:\n  source: {source}\n  path: {path ?? Root["train"]}\n  image_size: 16\n{data}" +
        $"model:\n  widths: [8, 16]\n  hidden: 32\ntrain:\n{train}  batch_size: 32\n  lr: 0.005\n");

    public string ConfigPath { get; }
    public string Log { get; }
    public string RunDir => Path.Combine(Root["runs"], "held");

    public void Dispose() => Root.Dispose();
}

[Collection(TorchGlobalStateCollection.Name)]
public sealed class VisionTestSetTests(VisionTestSetFixture f) : IClassFixture<VisionTestSetFixture>
{
    private static JsonNode Summary(string runDir) => JsonNode.Parse(File.ReadAllText(Path.Combine(runDir, "summary.json")))!;

    private static VisionConfig Load(string path) =>
        Assert.IsType<VisionConfig>(ConfigLoader.LoadFromText(File.ReadAllText(path), path, [], n => TaskRegistry.Find(n)?.ConfigType));

    private static readonly string Classes = string.Join(", ", SyntheticGalaxies.Classes.Order(StringComparer.Ordinal));

    [Fact]
    public void Test_metrics_equal_an_independent_evaluation_of_the_saved_model_on_the_test_folder()
    {
        string log = f.Log;
        Assert.Contains($"test: 40 images from {f.Root["test"]}, measured once after training; validation: 32 images of {f.Root["train"]}", log);
        Assert.Contains($"test (40 images of {f.Root["test"]}):", log);
        var summary = Summary(f.RunDir);
        using var predictor = VisionPredictor.Load(Path.Combine(f.RunDir, "model"));
        var (metrics, baseline) = predictor.Evaluate(f.Root["test"], TextWriter.Null);
        Assert.Equal(metrics["accuracy"], summary["test_accuracy"]!.GetValue<double>(), 9);
        Assert.Equal(metrics["macro_f1"], summary["test_macro_f1"]!.GetValue<double>(), 9);
        Assert.Equal(metrics["log_loss"], summary["test_log_loss_calibrated"]!.GetValue<double>(), 4);
        Assert.Equal(0.25, baseline.Metrics["accuracy"], 9);
        // The command-line evaluate reads the same folder and prints the same accuracy.
        var r = Cli.Cli.Run("evaluate", Path.Combine(f.RunDir, "model"), f.Root["test"]).AssertOk(allowStderr: true);
        Assert.Contains("data: " + f.Root["test"] + ": 40 images", r.Out);
    }

    [Fact]
    public void Validation_images_come_from_the_training_folder_only()
    {
        var data = VisionData.Prepare(Load(f.ConfigPath), TextWriter.Null);
        var testFiles = Directory.GetFiles(f.Root["test"], "*.png", SearchOption.AllDirectories).ToHashSet();
        Assert.Equal(160, data.Train.Count + data.Valid.Count);
        Assert.Equal(40, data.Test!.Count);
        Assert.All(data.Valid.Names, n => Assert.DoesNotContain(n, testFiles));
        Assert.All(data.Valid.Names.Concat(data.Train.Names), n => Assert.StartsWith(f.Root["train"], n));
        Assert.All(data.Test.Names, n => Assert.StartsWith(f.Root["test"], n));
        // Labels are the training classes': each test file's folder names its class.
        for (int i = 0; i < data.Test.Count; i++)
            Assert.Equal(Path.GetFileName(Path.GetDirectoryName(data.Test.Names[i])), data.Classes[data.Test.Labels[i]]);
    }

    [Fact]
    public void A_test_csv_of_fewer_classes_maps_its_labels_onto_the_training_classes()
    {
        string Csv(string name, string root, Func<string, bool> keep) => f.Root.Write(name, "path,label\n" + string.Concat(
            Directory.GetFiles(root, "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                .Select(p => (p, c: Path.GetFileName(Path.GetDirectoryName(p))!)).Where(x => keep(x.c)).Select(x => $"{x.p},{x.c}\n")));
        string train = Csv("train.csv", f.Root["train"], _ => true);
        string test = Csv("test.csv", f.Root["test"], c => c is "spiral" or "irregular");
        var data = VisionData.Prepare(Load(f.Yaml("csv", $"  test_path: {test}\n", source: "csv", path: train)), TextWriter.Null);
        Assert.Equal(20, data.Test!.Count);
        Assert.Equal(new[] { "irregular", "spiral" }, data.Test.Labels.Distinct().Order().Select(l => data.Classes[l]).ToArray());
        for (int i = 0; i < data.Test.Count; i++)
            Assert.Equal(Path.GetFileName(Path.GetDirectoryName(data.Test.Names[i])), data.Classes[data.Test.Labels[i]]);
    }

    [Fact]
    public void A_test_class_the_training_folder_lacks_is_one_line_and_no_run_folder()
    {
        var test = f.Root["test-quasar"];
        SyntheticGalaxies.WriteFolder(test, 8, 16, seed: 13);
        Directory.Move(Path.Combine(test, "spiral"), Path.Combine(test, "quasar"));
        Cli.Cli.Run("train", f.Yaml("quasar", $"  test_path: {test}\n"), "--out", f.Root["runs"])
            .AssertUserError($"{Path.Combine(test, "quasar")}: data.test_path has class 'quasar', which the training folder {f.Root["train"]} does not have; training classes: {Classes}");
        Assert.False(Directory.Exists(Path.Combine(f.Root["runs"], "quasar")));
    }

    [Fact]
    public void A_test_folder_without_readable_images_is_one_line_and_no_run_folder()
    {
        var test = f.Root["test-broken"];
        foreach (var c in new[] { "spiral", "irregular" })
        {
            Directory.CreateDirectory(Path.Combine(test, c));
            File.WriteAllText(Path.Combine(test, c, "x.png"), "not a png");
        }
        var r = Cli.Cli.Run("train", f.Yaml("broken", $"  test_path: {test}\n"), "--out", f.Root["runs"]);
        r.AssertUserErrorStartsWith(test);
        Assert.Single(r.Err.TrimEnd().Split('\n'));
        Assert.False(Directory.Exists(Path.Combine(f.Root["runs"], "broken")));
    }

    [Fact]
    public void Valid_fraction_zero_without_a_test_set_is_one_line()
    {
        Cli.Cli.Run("train", f.Yaml("nothing", "  valid_fraction: 0\n"), "--out", f.Root["runs"])
            .AssertUserError("data.valid_fraction: 0 leaves no images to measure the model on: set data.test_path to a test folder, or a fraction such as 0.2");
        Assert.False(Directory.Exists(Path.Combine(f.Root["runs"], "nothing")));
    }

    [Fact]
    public void A_test_path_beside_idx_or_galaxies_is_one_line()
    {
        Cli.Cli.Run("train", f.Yaml("idx", $"  test_path: {f.Root["test"]}\n", source: "idx"), "--out", f.Root["runs"])
            .AssertUserError("data.test_path: not for data.source idx, whose t10k-images/t10k-labels files are its held-out set (used as validation); leave test_path out");
    }

    [Fact]
    public void Valid_fraction_zero_trains_on_every_image_and_is_judged_on_the_test_folder_without_a_temperature()
    {
        var r = Cli.Cli.Run("train", f.Yaml("all", $"  test_path: {f.Root["test"]}\n  valid_fraction: 0\n", "  epochs: 1\n"), "--out", f.Root["runs"]).AssertOk(allowStderr: true);
        Assert.Contains("160 training and 0 validation images", r.Out);
        Assert.Contains($"test (40 images of {f.Root["test"]}; no validation examples):", r.Out);
        Assert.Contains("calibration: not fitted (data.valid_fraction is 0, and the test set must not tune the model); predict uses T = 1", r.Out);
        var summary = Summary(Path.Combine(f.Root["runs"], "all"));
        Assert.Equal(summary["accuracy"]!.GetValue<double>(), summary["test_accuracy"]!.GetValue<double>());
        Assert.Null(summary["temperature"]);
        using var predictor = VisionPredictor.Load(Path.Combine(f.Root["runs"], "all", "model"));
        var (metrics, _) = predictor.Evaluate(f.Root["test"], TextWriter.Null);
        Assert.Equal(metrics["log_loss"], summary["test_log_loss"]!.GetValue<double>(), 4);
    }

    [Fact]
    public void A_stopped_run_writes_no_test_metrics_and_its_resume_measures_the_test_set()
    {
        var config = Load(f.Yaml("stopped", $"  test_path: {f.Root["test"]}\n"));
        var (ctx, cancel) = StoppedRun.AfterBatches(f.Root["runs"], 1);
        var (summary, _) = new VisionTask { Callbacks = cancel }.Train(config, ctx);
        Assert.True(summary.Interrupted);
        Assert.DoesNotContain(Summary(summary.RunDir!).AsObject(), p => p.Key.StartsWith("test_", StringComparison.Ordinal));

        var log = new StringWriter();
        var (resumed, _) = new VisionTask().Train(config, new RunContext { Out = log, RunsRoot = f.Root["runs"], TensorBoard = false, Resume = true });
        Assert.False(resumed.Interrupted, log.ToString());
        Assert.Contains($"test (40 images of {f.Root["test"]}):", log.ToString());
        using var predictor = VisionPredictor.Load(Path.Combine(resumed.RunDir!, "model"));
        var (metrics, _) = predictor.Evaluate(f.Root["test"], TextWriter.Null);
        Assert.Equal(metrics["accuracy"], Summary(resumed.RunDir!)["test_accuracy"]!.GetValue<double>(), 9);
    }
}
