using System.Text;
using System.Text.Json.Nodes;
using HpcLearn.Tasks.Text;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;
using static HpcLearn.Tests.Training.ModelJson;

namespace HpcLearn.Tests.Tasks.Text;

/// <summary>A small untrained text model's folder, then its model.json damaged one number at a time.</summary>
public sealed class TextArtifactTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly TextModelOptions Options = new() { Layers = 2, Heads = 2, Embedding = 8 };

    private string Save()
    {
        var tokenizer = new CharTokenizer("abcd ".EnumerateRunes());
        using var model = new TextTransformer(tokenizer.VocabSize, 16, Options);
        string dir = _dir["model"];
        ModelArtifact.Save(dir, model, new ModelManifest { Task = TextTask.Name, Details = TextArtifact.Details(tokenizer, model) });
        return dir;
    }

    private static string Load(string dir) => Error(() => TextArtifact.Load(dir).Dispose());

    [Fact]
    public void The_parameter_count_from_the_architecture_is_the_networks()
    {
        using var model = new TextTransformer(37, 24, Options with { Layers = 3, Embedding = 12, Heads = 3 });
        Assert.Equal(model.ParameterCount, TextTransformer.CountParameters(37, 24, Options with { Layers = 3, Embedding = 12, Heads = 3 }));
    }

    [Fact]
    public void An_untouched_folder_loads()
    {
        using var a = TextArtifact.Load(Save());
        Assert.Equal(16, a.Model.BlockSize);
    }

    [Theory]
    [InlineData("embedding", "2147483647", "details.model.embedding is 2147483647; it must be from 1 to 1,000,000")]
    [InlineData("layers", "-5", "details.model.layers is -5; it must be from 1 to 10,000")]
    [InlineData("heads", "3", "details.model.heads is 3, which does not divide the embedding width 8")]
    [InlineData("heads", "0", "details.model.heads is 0; it must be from 1 to 8")]
    public void Model_values_out_of_bounds_are_refused(string key, string value, string error)
    {
        string dir = Save();
        EditDetails(dir, d => d["model"]![key] = JsonNode.Parse(value));
        Assert.Equal($"{PathIn(dir)}: {error}; {Damaged}", Load(dir));
    }

    [Fact]
    public void Sizes_each_allowed_but_too_many_parameters_together_are_refused()
    {
        string dir = Save();
        EditDetails(dir, d => { d["model"]!["embedding"] = 1_000_000; d["model"]!["heads"] = 1; d["block_size"] = 1_000_000; });
        // (6 tokens + 1e6 positions)·1e6, 2 blocks of 12e12 + 13e6, 2e6 for the last layer norm.
        Assert.Equal($"{PathIn(dir)}: the architecture in its details has 25,000,034,000,000 parameters, over hpclearn's limit of 2,147,483,648; {Damaged}", Load(dir));
    }

    [Fact]
    public void A_block_size_out_of_bounds_is_refused()
    {
        string dir = Save();
        EditDetails(dir, d => d["block_size"] = -1);
        Assert.Equal($"{PathIn(dir)}: details.block_size is -1; it must be from 2 to 1,000,000; {Damaged}", Load(dir));
    }
}
