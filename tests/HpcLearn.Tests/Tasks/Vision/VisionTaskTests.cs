using System.Text.Json.Nodes;
using HpcLearn.Config;
using HpcLearn.Data.Images;
using HpcLearn.Tasks.Shared;
using HpcLearn.Tasks.Vision;
using HpcLearn.Tests.Cli;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;

namespace HpcLearn.Tests.Tasks.Vision;

/// <summary>Galaxies written as PNG class folders, a small CNN trained on them once for the class.</summary>
public sealed class VisionRunFixture : IDisposable
{
    public TempFolder Root { get; } = new();

    public VisionRunFixture()
    {
        SyntheticGalaxies.WriteFolder(Root["images"], 320, 16, seed: 11);
        Config = new VisionConfig
        {
            Name = "galaxies",
            Data = new VisionDataOptions { Source = "folder", Path = Root["images"], ImageSize = 16, Flip = true }, // galaxies: a mirror image is the same class
            Model = new VisionModelOptions { Widths = [8, 16], Hidden = 32 },
            Train = new TrainOptions { Epochs = 6, BatchSize = 32, LearningRate = 0.005 },
        };
        var log = new StringWriter();
        (Summary, Data) = new VisionTask().Train(Config, new RunContext { Out = log, RunsRoot = Root["runs"], TensorBoard = false });
        Log = log.ToString();
    }

    public VisionConfig Config { get; }
    public RunSummary Summary { get; }
    public VisionData Data { get; }
    public string Log { get; }
    public string RunDir => Summary.RunDir!;
    public string ModelDir => Path.Combine(RunDir, "model");

    public void Dispose() => Root.Dispose();
}

// Trains with a fixed seed: alone, so no parallel test draws from libtorch's global generator in between.
[Collection(TorchGlobalStateCollection.Name)]
public sealed class VisionTaskTests(VisionRunFixture run) : IClassFixture<VisionRunFixture>
{
    [Fact]
    public void Training_beats_the_majority_baseline_and_reports_what_it_should()
    {
        Assert.True(run.Summary.BeatsBaseline, run.Log);
        double accuracy = run.Summary.Metrics["accuracy"];
        Assert.True(accuracy > 0.6, run.Log);
        Assert.Equal(0.25, run.Summary.Baseline!["accuracy"], 6);
        Assert.Contains("data: folder", run.Log);
        Assert.Contains("confusion matrix (validation; rows: true class, columns: predicted):", run.Log);
        var evaluation = JsonNode.Parse(File.ReadAllText(Path.Combine(run.RunDir, "evaluation.json")))!;
        Assert.Equal(4, evaluation["per_class"]!["rows"]!.AsArray().Count);
        Assert.Equal(run.Data.Valid.Count, evaluation["confusion"]!["counts"]!.AsArray().Sum(r => r!.AsArray().Sum(c => c!.GetValue<int>())));
        string html = File.ReadAllText(Path.Combine(run.RunDir, "report.html"));
        Assert.Contains("<table class=\"per-class\">", html);
        if (accuracy < 1)
        {
            Assert.True(File.Exists(Path.Combine(run.RunDir, "plots", "top-losses.png")));
            Assert.Contains("<section id=\"top-losses\">", html);
        }
    }

    [Fact]
    public void Predict_on_files_gives_the_same_probabilities_as_the_model_in_memory_and_skips_a_corrupt_file()
    {
        using var dir = new TempFolder();
        var valid = run.Data.Valid;
        for (int i = 0; i < 12; i++)
            ImageGrid.SavePng(dir[$"v{i:D2}.png"], valid.Pixels.AsSpan(i * valid.ImageSize, valid.ImageSize).ToArray(), 1, 16, 16);
        File.WriteAllText(dir["zz-broken.png"], "not a png");
        var r = Cli.Cli.Run("predict", run.ModelDir, dir.Path).AssertOk(allowStderr: true);
        Assert.Contains($"warning: skipped {dir["zz-broken.png"]}:", r.Err);
        var lines = r.Out.Trim().Split('\n');
        Assert.Equal("file,label,confidence,p_edge-on,p_elliptical,p_irregular,p_spiral", lines[0]);   // class folders in sorted order
        Assert.Equal(13, lines.Length);
        using var predictor = VisionPredictor.Load(run.ModelDir);
        using var pixels = valid.Subset(Enumerable.Range(0, 12).ToArray()).PixelTensor();
        var expected = predictor.Probabilities(pixels);
        for (int i = 0; i < 12; i++)
        {
            var cells = lines[i + 1].Split(',');
            Assert.Equal(dir[$"v{i:D2}.png"], cells[0]);
            int best = Array.IndexOf(expected[i], expected[i].Max());
            Assert.Equal(valid.Classes[best], cells[1]);
            for (int k = 0; k < 4; k++) Assert.Equal(expected[i][k], double.Parse(cells[3 + k], System.Globalization.CultureInfo.InvariantCulture), 1e-5);   // float32, other batch sizes
        }
    }

    [Fact]
    public void Predict_on_an_image_bomb_is_one_line_naming_the_file_and_in_a_folder_a_skipped_file()
    {
        using var dir = new TempFolder();
        Data.Images.PngBomb.Write(dir["bomb.png"], 100_000, 100_000);
        Cli.Cli.Run("predict", run.ModelDir, dir["bomb.png"])
            .AssertUserError($"{dir["bomb.png"]}: 100000 x 100000 pixels (10000 megapixels), over the 50-megapixel limit for an image; shrink it first");

        ImageGrid.SavePng(dir["good.png"], run.Data.Valid.Pixels.AsSpan(0, 256).ToArray(), 1, 16, 16);
        var r = Cli.Cli.Run("predict", run.ModelDir, dir.Path).AssertOk(allowStderr: true);
        Assert.Contains($"warning: skipped {dir["bomb.png"]}: 100000 x 100000 pixels (10000 megapixels), over the 50-megapixel limit", r.Err);
        Assert.Equal(2, r.Out.Trim().Split('\n').Length);
    }

    [Fact]
    public void A_larger_colour_image_is_resized_and_converted_like_training()
    {
        using var dir = new TempFolder();
        var grey = run.Data.Valid.Pixels.AsSpan(0, 256).ToArray();
        ImageGrid.SavePng(dir["small.png"], grey, 1, 16, 16);
        // The same picture as a 3-channel image: equal planes, so it is grey in content.
        ImageGrid.SavePng(dir["rgb.png"], [.. grey, .. grey, .. grey], 3, 16, 16);
        var r = Cli.Cli.Run("predict", run.ModelDir, dir.Path).AssertOk(allowStderr: true);
        var rows = r.Out.Trim().Split('\n').Skip(1).Select(l => string.Join(",", l.Split(',').Skip(1))).ToArray();
        Assert.Equal(rows[0], rows[1]);
    }

    [Fact]
    public void Evaluate_on_class_folders_matches_training_classes()
    {
        var r = Cli.Cli.Run("evaluate", run.ModelDir, run.Config.Data.Path!).AssertOk(allowStderr: true);
        Assert.Contains("Accuracy", r.Out);
        Assert.Contains("baseline: majority class", r.Out);
    }

    [Fact]
    public void Predicting_with_a_missing_input_is_one_user_error()
    {
        Cli.Cli.Run("predict", run.ModelDir, "/no/such/images").AssertUserError("/no/such/images: no such image file or folder");
    }
}
