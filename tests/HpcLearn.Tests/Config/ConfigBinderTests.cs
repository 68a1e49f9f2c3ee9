using HpcLearn.Config;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace HpcLearn.Tests.Config;

public class ConfigBinderTests
{
    [Fact]
    public void UnknownKey_SuggestsTheNearestValidKey() =>
        Assert.Equal("config.yaml:4: unknown key 'train.epocs'; did you mean 'train.epochs'?",
            Sample.Error("task: sample\ntrain:\n  lr: 0.1\n  epocs: 5\n"));

    [Fact]
    public void UnknownKey_DifferentlyCased_SuggestsSnakeCase() =>
        Assert.Equal("config.yaml:2: unknown key 'train.BatchSize'; did you mean 'train.batch_size'?",
            Sample.Error("task: sample\ntrain: {BatchSize: 8}\n"));

    [Fact]
    public void UnknownKey_WithoutCloseMatch_ListsTheValidKeys() =>
        Assert.Equal("config.yaml:3: unknown key 'model.width'; valid keys: layers, activation, dropout, tags, notes, batch_norm, max_params, momentum",
            Sample.Error("task: sample\nmodel:\n  width: 3\n"));

    [Theory]
    [InlineData("train:\n  epochs: five", "config.yaml:3: 'train.epochs' expects an integer, got 'five'")]
    [InlineData("train:\n  epochs: 2.5", "config.yaml:3: 'train.epochs' expects an integer, got '2.5'")]
    [InlineData("train:\n  lr: fast", "config.yaml:3: 'train.lr' expects a number, got 'fast'")]
    [InlineData("model:\n  batch_norm: yes", "config.yaml:3: 'model.batch_norm' expects true or false, got 'yes'")]
    [InlineData("train:\n  optimizer: adagrad", "config.yaml:3: 'train.optimizer' expects one of: adamw, adam, sgd, got 'adagrad'")]
    [InlineData("model:\n  layers: 64", "config.yaml:3: 'model.layers' expects a list of integers, got '64'")]
    [InlineData("model:\n  layers: [64, x]", "config.yaml:3: 'model.layers[1]' expects an integer, got 'x'")]
    [InlineData("data:\n  features: {a: 1}", "config.yaml:3: 'data.features' expects a list of strings, got a mapping")]
    [InlineData("train: fast", "config.yaml:2: 'train' expects a mapping (section), got 'fast'")]
    [InlineData("seed:\n  a: 1", "config.yaml:3: 'seed' expects an integer, got a mapping")]
    [InlineData("seed: null", "config.yaml:2: 'seed' expects an integer, got null")]
    [InlineData("device:", "config.yaml:2: 'device' expects a string, got nothing")]
    public void WrongType_NamesTheKeyWhatItExpectsAndWhatItGot(string yaml, string expected) =>
        Assert.Equal(expected, Sample.Error("task: sample\n" + yaml + "\n"));

    [Fact]
    public void NestedSection_BindsItsKeys_AndKeepsTheOtherDefaults()
    {
        var c = Sample.Load("task: sample\ntrain:\n  lr: 0.1\n  schedule: constant\ndata:\n  path: a.csv\n  rename: {x: y}\n");
        Assert.Equal(new TrainOptions { LearningRate = 0.1, Schedule = ScheduleKind.Constant }, c.Train);
        Assert.Equal("a.csv", c.Data.Path);
        Assert.Equal(new Dictionary<string, string> { ["x"] = "y" }, c.Data.Rename);
        Assert.Equal([64, 32], c.Model.Layers);
        Assert.Equal(42, c.Seed);
        Assert.Equal("cpu", c.Device);
        Assert.Equal("sample", c.RunName);
    }

    [Theory]
    [InlineData("adamw")]
    [InlineData("AdamW")]
    [InlineData("adam_w")]
    public void ConfigName_OptimizerAdamW_IsWrittenAdamw_AndBindsFromItsSpellings(string value)
    {
        Assert.Equal(OptimizerKind.AdamW, Sample.Load($"task: sample\ntrain:\n  optimizer: {value}\n").Train.Optimizer);
        Assert.Contains("optimizer: adamw\n", ConfigWriter.ToYaml(new TrainOptions { Optimizer = OptimizerKind.AdamW }).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void ConfigName_LearningRate_HasTheKeyLr()
    {
        Assert.Equal(0.25, Sample.Load("task: sample\ntrain:\n  lr: 0.25\n").Train.LearningRate);
        Assert.Equal("config.yaml:3: unknown key 'train.learning_rate'; valid keys: epochs, batch_size, lr, optimizer, weight_decay, schedule, grad_clip, early_stopping_patience, checkpoint_every, keep_checkpoints, calibrate, max_time",
            Sample.Error("task: sample\ntrain:\n  learning_rate: 0.25\n"));
    }

    [Fact]
    public void Nullable_TakesAValueOrNull()
    {
        var set = Sample.Load("task: sample\nthreads: 8\nname: null\nmodel: {dropout: 0.5}\ndata: {target: ~, path: p}\n");
        Assert.Equal(8, set.Threads);
        Assert.Null(set.Name);
        Assert.Equal(0.5, set.Model.Dropout);
        Assert.Null(set.Data.Target);

        var quoted = Sample.Load("task: sample\nname: 'null'\nthreads: ~\n");
        Assert.Equal("null", quoted.Name);
        Assert.Null(quoted.Threads);
    }

    [Theory]
    [InlineData("one_cycle")]
    [InlineData("OneCycle")]
    [InlineData("onecycle")]
    [InlineData("ONE_CYCLE")]
    public void Enum_MatchesIgnoringCaseAndUnderscores(string spelling) =>
        Assert.Equal(ScheduleKind.OneCycle, Sample.Load($"task: sample\ntrain: {{schedule: constant}}\n", $"train.schedule={spelling}").Train.Schedule);

    [Fact]
    public void Validation_NamesTheFileLineAndKey() =>
        Assert.Equal("config.yaml:3: 'train.lr' must be positive",
            Sample.Error("task: sample\nseed: 1\ntrain: {lr: -1}\n"));

    [Fact]
    public void Validation_OfAKeyTheYamlLacks_PointsAtTheSection() =>
        Assert.Equal("config.yaml:2: 'data.path' is required when a target is given",
            Sample.Error("task: sample\ndata:\n  target: y\n"));

    [Theory]
    [InlineData("model:\n  dropout: nan", "config.yaml:3: 'model.dropout' expects a finite number, got 'nan'")]
    [InlineData("model:\n  dropout: .NaN", "config.yaml:3: 'model.dropout' expects a finite number, got '.NaN'")]
    [InlineData("train:\n  lr: .inf", "config.yaml:3: 'train.lr' expects a finite number, got '.inf'")]
    [InlineData("train:\n  lr: -Infinity", "config.yaml:3: 'train.lr' expects a finite number, got '-Infinity'")]
    [InlineData("train:\n  lr: 1e400", "config.yaml:3: 'train.lr' expects a finite number, got '1e400' (too large: the limit is about 1.8e308)")]
    [InlineData("model:\n  momentum: 1e39", "config.yaml:3: 'model.momentum' expects a finite number, got '1e39' (too large: the limit is about 3.4e38)")]
    [InlineData("data:\n  valid_fraction: nan", "config.yaml:3: 'data.valid_fraction' expects a finite number, got 'nan'")]
    public void NonFiniteNumber_IsRefusedNamingTheKey(string yaml, string expected) =>
        Assert.Equal(expected, Sample.Error("task: sample\n" + yaml + "\n"));

    [Fact]
    public void NonFiniteNumber_FromAnOverride_NamesTheOverride() =>
        Assert.Equal("--set train.lr=1e400: 'train.lr' expects a finite number, got '1e400' (too large: the limit is about 1.8e308)",
            Sample.Error("task: sample\n", "train.lr=1e400"));

    [Fact]
    public void BindT_UsesTheGivenKeyPathInMessages()
    {
        var doc = ParseMapping("epochs: 3\nbatch_size: x\n");
        var e = Assert.Throws<UserError>(() => ConfigBinder.Bind<TrainOptions>(doc, "train.yaml", "train"));
        Assert.Equal("train.yaml:2: 'train.batch_size' expects an integer, got 'x'", e.Message);
        Assert.Equal(3, ConfigBinder.Bind<TrainOptions>(ParseMapping("epochs: 3\n"), "train.yaml", "train").Epochs);
    }

    private static YamlMappingNode ParseMapping(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
