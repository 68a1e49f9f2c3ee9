using HpcLearn.Config;
using HpcLearn.Tasks;
using HpcLearn.Tasks.Text;
using Xunit;

namespace HpcLearn.Tests.Tasks.Text;

public sealed class TextConfigTests
{
    [Fact]
    public void Example_config_binds_onto_the_text_options()
    {
        var config = Assert.IsType<TextConfig>(ConfigLoader.Load(Path.Combine(RepoPaths.Root, "examples", "text.yaml"), ["steps.total=10"],
            name => TaskRegistry.Find(name)?.ConfigType));
        Assert.Null(config.Data.Path);
        Assert.Equal(TokenizerKind.Char, config.Data.Tokenizer);
        Assert.Equal(64, config.Data.BlockSize);
        Assert.Equal(10, config.Steps.Total);
        Assert.Equal(0.003, config.Train.LearningRate);
        Assert.Equal("text-demo", config.RunName);
    }

    [Fact]
    public void Defaults_suit_a_language_model()
    {
        var c = new TextConfig();
        // Its resolved config leaves out the keys it refuses, so it loads back to the same config.
        string yaml = ConfigWriter.ToYaml(c);
        Assert.DoesNotContain("epochs:", yaml);
        Assert.Contains("max_time:", yaml);
        Assert.Equal(yaml, ConfigWriter.ToYaml(ConfigLoader.LoadFromText(yaml, "config.yaml", [], name => TaskRegistry.Find(name)?.ConfigType)));
        Assert.Equal((32, 1e-3, 0.1, 1.0), (c.Train.BatchSize, c.Train.LearningRate, c.Train.WeightDecay, c.Train.GradClip));
        Assert.Equal((4, 4, 128), (c.Model.Layers, c.Model.Heads, c.Model.Embedding));
        Assert.Equal(("heads", "must divide model.embedding (130); e.g. 2"),
            (c.Model with { Embedding = 130, Heads = 4 }).Validate().Single());
    }
}
