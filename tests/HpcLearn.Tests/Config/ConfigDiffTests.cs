using HpcLearn.Config;
using Xunit;

namespace HpcLearn.Tests.Config;

public class ConfigDiffTests
{
    private const string Base = "task: sample\nseed: 1\ntrain:\n  epochs: 3\n  lr: 0.1\nmodel:\n  layers: [16]\n  tags: []\n";

    [Fact]
    public void Equal_configs_have_no_differences() => Assert.Empty(ConfigDiff.Compare(Base, Base));

    [Fact]
    public void Each_differing_leaf_is_named_by_its_dotted_key_with_both_values_in_order()
    {
        var other = Base.Replace("seed: 1", "seed: 2").Replace("epochs: 3", "epochs: 5").Replace("[16]", "[16, 8]") + "name: x\n";
        Assert.Equal(
        [
            new ConfigDifference("seed", "1", "2"),
            new ConfigDifference("train.epochs", "3", "5"),
            new ConfigDifference("model.layers", "[16]", "[16, 8]"),
            new ConfigDifference("name", null, "x"),
        ], ConfigDiff.Compare(Base, other));
    }

    [Fact]
    public void Describe_lists_the_first_few_and_counts_the_rest()
    {
        var d = new[] { new ConfigDifference("a", "1", "2"), new ConfigDifference("b", null, "x"), new ConfigDifference("c", "y", null), new ConfigDifference("d", "3", "4") };
        Assert.Equal("a (1 vs 2), b (absent vs x), c (y vs absent) and 1 more", ConfigDiff.Describe(d));
    }

    [Theory]
    [InlineData("model", "model", true)]
    [InlineData("model.layers", "model", true)]
    [InlineData("models", "model", false)]
    [InlineData("train.model", "model", false)]
    public void IsIn_matches_the_section_and_its_keys(string key, string section, bool expected) =>
        Assert.Equal(expected, ConfigDiff.IsIn(key, section));
}
