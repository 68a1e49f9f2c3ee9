using HpcLearn.Config;
using HpcLearn.Data.Images;
using HpcLearn.Tasks.Shared;
using HpcLearn.Tasks.Vision;
using HpcLearn.Tests.Runs;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Training;
using Xunit;

namespace HpcLearn.Tests.Tasks.Vision;

/// <summary>An image classifier's run stopped mid-fit leaves a model that classifies images.</summary>
[Collection("torch-rng")]
public sealed class VisionStoppedRunTests
{
    [Fact]
    public void A_stopped_run_leaves_a_model_that_predicts()
    {
        using var tmp = new TempFolder();
        SyntheticGalaxies.WriteFolder(tmp["images"], 64, 16, seed: 11);
        var config = new VisionConfig
        {
            Name = "stopped",
            Data = new VisionDataOptions { Source = "folder", Path = tmp["images"], ImageSize = 16 },
            Model = new VisionModelOptions { Widths = [8, 16], Hidden = 16 },
            Train = new TrainOptions { Epochs = 2, BatchSize = 16, LearningRate = 0.005 },
        };
        var (ctx, cancel) = StoppedRun.AfterBatches(tmp["runs"], 1);
        var (summary, data) = new VisionTask { Callbacks = cancel }.Train(config, ctx);

        Assert.True(summary.Interrupted);
        StoppedRun.AssertUsableModel(summary.RunDir, VisionTask.Name, Learner.CancelledReason);
        var valid = data.Valid;
        Directory.CreateDirectory(tmp["in"]);
        for (int i = 0; i < 3; i++)
            ImageGrid.SavePng(tmp[$"in/v{i}.png"], valid.Pixels.AsSpan(i * valid.ImageSize, valid.ImageSize).ToArray(), 1, 16, 16);
        var output = new StringWriter();
        Assert.Equal(3, new VisionTask().Predict(Path.Combine(summary.RunDir, "model"), tmp["in"], output, TextWriter.Null));
        Assert.Equal(4, output.ToString().Trim().Split('\n').Length);
    }
}
