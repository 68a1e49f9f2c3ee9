using HpcLearn.Config;
using HpcLearn.Data.Audio;
using HpcLearn.Tasks.Audio;
using HpcLearn.Tasks.Shared;
using HpcLearn.Tasks.Vision;
using HpcLearn.Tests.Runs;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Training;
using Xunit;

namespace HpcLearn.Tests.Tasks.Audio;

/// <summary>An audio classifier's run stopped mid-fit leaves a model that classifies clips.</summary>
[Collection("torch-rng")]
public sealed class AudioStoppedRunTests
{
    [Fact]
    public void A_stopped_run_leaves_a_model_that_predicts()
    {
        using var tmp = new TempFolder();
        var calls = new SyntheticBirdCallsOptions { SampleRate = 16000, ClipSeconds = 0.5 };
        SyntheticBirdCalls.WriteFolder(tmp["wav"], 24, seed: 3, calls);
        var config = new AudioConfig
        {
            Name = "stopped",
            Data = new AudioDataOptions { Source = "folder", Path = tmp["wav"], ValidFraction = 0.25 },
            Audio = new AudioOptions { SampleRate = 16000, ClipSeconds = 0.5, NFft = 256, Hop = 160, NMels = 32 },
            Model = new VisionModelOptions { Widths = [8, 16], Hidden = 32 },
            Train = new TrainOptions { Epochs = 2, BatchSize = 8, LearningRate = 0.005 },
        };
        var (ctx, cancel) = StoppedRun.AfterBatches(tmp["runs"], 1);
        var (summary, data) = new AudioTask { Callbacks = cancel }.Train(config, ctx);
        using (data)
        {
            Assert.True(summary.Interrupted);
            StoppedRun.AssertUsableModel(summary.RunDir, AudioTask.Name, Learner.CancelledReason);
            string clip = Directory.GetFiles(tmp["wav"], "*.wav", SearchOption.AllDirectories).Order().First();
            var output = new StringWriter();
            Assert.Equal(1, new AudioTask().Predict(Path.Combine(summary.RunDir, "model"), clip, output, TextWriter.Null));
        }
    }
}
