using HpcLearn.Config;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;

namespace HpcLearn.Tests.Config;

public class ConfigWriterTests
{
    [Fact]
    public void ToYaml_WritesEveryKeyWithItsDefault() =>
        Assert.Equal(
            "epochs: 20\nbatch_size: 64\nlr: 0.003\noptimizer: adamw\nweight_decay: 0.01\nschedule: one_cycle\n"
            + "grad_clip: 0\nearly_stopping_patience: 0\ncheckpoint_every: 1\nkeep_checkpoints: 3\ncalibrate: null\nmax_time: null\n",
            ConfigWriter.ToYaml(new TrainOptions()).ReplaceLineEndings("\n"));

    [Fact]
    public void ToYaml_ThenLoad_GivesAnEqualConfig()
    {
        var original = new SampleConfig
        {
            Task = "sample",
            Name = "run: #1",
            Seed = 7,
            Device = "null",
            Train = new TrainOptions { LearningRate = 1e-4, Optimizer = OptimizerKind.Sgd, Schedule = ScheduleKind.Constant, GradClip = 0.5 },
            Data = new SampleData
            {
                Path = "/data/a: b #c.csv",
                Target = "line one\nline two",
                Features = ["x1", "x,2", "null", "[x]", "'q'", ""],
                ValidFraction = 1.0 / 3,
                Rename = new() { ["old name"] = "new: name", ["k"] = "~" },
            },
            Model = new SampleModel
            {
                Layers = [128, 64],
                Activation = SampleActivation.LeakyRelu,
                Dropout = 0.25,
                Notes = ["a b", "#c"],
                BatchNorm = false,
                MaxParams = 5_000_000_000,
                Momentum = 0.1f,
            },
        };

        var yaml = ConfigWriter.ToYaml(original);
        var loaded = Sample.Load(yaml);

        Assert.Contains("activation: leaky_relu", yaml);
        Assert.Contains("schedule: constant", yaml);
        Assert.Contains("threads: null", yaml);
        Assert.Contains("layers: [128, 64]", yaml);
        Assert.Contains("tags: []", yaml);
        // Records compare lists by reference: compare those item by item, the rest with Equals.
        Assert.Equal(original.Data.Features, loaded.Data.Features);
        Assert.Equal(original.Data.Rename, loaded.Data.Rename);
        Assert.Equal(original.Model.Layers, loaded.Model.Layers);
        Assert.Equal(original.Model.Tags, loaded.Model.Tags);
        Assert.Equal(original.Model.Notes, loaded.Model.Notes);
        Assert.Equal(original.Cluster.Signals, loaded.Cluster.Signals);
        var sameLists = loaded with
        {
            Data = loaded.Data with { Features = original.Data.Features, Rename = original.Data.Rename },
            Model = loaded.Model with { Layers = original.Model.Layers, Tags = original.Model.Tags, Notes = original.Model.Notes },
            Cluster = loaded.Cluster with
            {
                Signals = original.Cluster.Signals, ExtraSbatch = original.Cluster.ExtraSbatch,
                Modules = original.Cluster.Modules, Setup = original.Cluster.Setup,
            },
        };
        Assert.Equal(original, sameLists);
        Assert.Equal(yaml, ConfigWriter.ToYaml(loaded));
    }
}
