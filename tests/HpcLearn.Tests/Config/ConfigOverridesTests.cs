using HpcLearn.Config;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;

namespace HpcLearn.Tests.Config;

public class ConfigOverridesTests
{
    private const string Yaml = "task: sample\ntrain:\n  epochs: 10\nmodel:\n  layers: [8]\n";

    [Fact]
    public void Override_SetsNestedValues()
    {
        var c = Sample.Load(Yaml, "train.epochs=5", "model.layers=[128, 64]", "train.optimizer=sgd", "seed=7");
        Assert.Equal(5, c.Train.Epochs);
        Assert.Equal(OptimizerKind.Sgd, c.Train.Optimizer);
        Assert.Equal([128, 64], c.Model.Layers);
        Assert.Equal(7, c.Seed);
    }

    [Fact]
    public void Override_CreatesAMissingSection_AndTakesThePlainValueLiterally()
    {
        var c = Sample.Load("task: sample\n", "data.path=/x/a: b #c.csv", "data.features=[x1, 'x,2']");
        Assert.Equal("/x/a: b #c.csv", c.Data.Path);
        Assert.Equal(["x1", "x,2"], c.Data.Features);
    }

    [Fact]
    public void Override_LaterWins_AndNullClearsANullable() =>
        Assert.Null(Sample.Load("task: sample\nthreads: 4\n", "threads=8", "threads=null").Threads);

    [Theory]
    [InlineData("foo", "--set 'foo': expected key=value")]
    [InlineData("=5", "--set '=5': expected key=value")]
    [InlineData("train..lr=1", "--set 'train..lr=1': expected key=value")]
    public void Override_WithoutKeyEqualsValue_IsAnError(string set, string expected) =>
        Assert.Equal(expected, Sample.Error(Yaml, set));

    [Theory]
    [InlineData("train.epocs=5", "--set train.epocs=5: unknown key 'train.epocs'; did you mean 'train.epochs'?")]
    [InlineData("trian.lr=0.1", "--set trian.lr=0.1: unknown key 'trian'; did you mean 'train'?")]
    [InlineData("train.epochs=five", "--set train.epochs=five: 'train.epochs' expects an integer, got 'five'")]
    [InlineData("train.lr=-1", "--set train.lr=-1: 'train.lr' must be positive")]
    public void Override_Errors_NameTheOverride(string set, string expected) =>
        Assert.Equal(expected, Sample.Error(Yaml, set));

    [Fact]
    public void Override_WithBrokenFlowValue_SaysItIsInvalidYaml() =>
        Assert.StartsWith("--set model.layers=[64,: invalid YAML: ", Sample.Error(Yaml, "model.layers=[64,"));

    [Fact]
    public void Override_Nested100000Deep_IsOneShortLine()
    {
        var set = "model.layers=" + new string('[', 100_000);
        Assert.Equal("--set model.layers=" + new string('[', 67) + "...: lists and mappings are nested more than 64 deep; "
            + "a config needs a few levels (e.g. model: {layers: [64, 32]}): is a bracket repeated or not closed?", Sample.Error(Yaml, set));
    }
}
