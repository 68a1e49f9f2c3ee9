using HpcLearn.Config;
using Xunit;

namespace HpcLearn.Tests.Config;

/// <summary>A config type whose task reads no epochs nor <c>model.dropout</c>: those keys are refused and never written.</summary>
public sealed class UnreadKeysTests
{
    private sealed record StepsConfig : RunConfig, IUnreadKeys
    {
        public StepsConfig() => Task = "steps";

        public SampleModel Model { get; init; } = new();

        public IReadOnlyDictionary<string, string> UnreadKeys { get; } = new Dictionary<string, string>
        {
            ["train.epochs"] = "is not used by the steps task; set steps instead",
            ["model.dropout"] = "is not used by the steps task; remove it",
        };
    }

    private static RunConfig Load(string yaml, params string[] sets) =>
        ConfigLoader.LoadFromText(yaml, "steps.yaml", sets, t => t == "steps" ? typeof(StepsConfig) : null);

    [Theory]
    [InlineData("task: steps\ntrain:\n  lr: 0.1\n  epochs: 20\n", new string[0], "steps.yaml:4: 'train.epochs' is not used by the steps task; set steps instead")]
    [InlineData("task: steps\nmodel: {dropout: 0.1}\n", new string[0], "steps.yaml:2: 'model.dropout' is not used by the steps task; remove it")]
    [InlineData("task: steps\n", new[] { "train.epochs=20" }, "--set train.epochs=20: 'train.epochs' is not used by the steps task; set steps instead")]
    public void An_unread_key_is_refused_by_name_even_at_its_default(string yaml, string[] sets, string expected)
        => Assert.Equal(expected, Assert.Throws<UserError>(() => Load(yaml, sets)).Message);

    [Fact]
    public void The_keys_it_reads_still_bind()
    {
        var c = (StepsConfig)Load("task: steps\ntrain: {lr: 0.1, max_time: '01:00:00'}\nmodel: {layers: [8]}\n");
        Assert.Equal(0.1, c.Train.LearningRate);
        Assert.Equal(TimeSpan.FromHours(1), c.Train.MaxTimeSpan);
        Assert.Equal([8], c.Model.Layers);
    }

    [Fact]
    public void The_written_config_leaves_them_out_and_loads_back()
    {
        string yaml = ConfigWriter.ToYaml(new StepsConfig());
        Assert.DoesNotContain("epochs:", yaml);
        Assert.DoesNotContain("dropout:", yaml);
        Assert.Contains("batch_size:", yaml);
        Assert.Equal(yaml, ConfigWriter.ToYaml(Load(yaml)));
    }

    [Fact]
    public void A_misspelt_key_is_never_pointed_at_an_unread_one()
    {
        var e = Assert.Throws<UserError>(() => Load("task: steps\ntrain: {epoch: 3}\n"));
        Assert.DoesNotContain("'train.epochs'", e.Message);
        Assert.DoesNotContain(" epochs,", e.Message);
    }
}
