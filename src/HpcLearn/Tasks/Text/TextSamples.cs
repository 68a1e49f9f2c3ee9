using System.Text.Json;
using System.Text.Json.Serialization;
using HpcLearn.Runs;

namespace HpcLearn.Tasks.Text;

/// <summary>
/// <c>samples.json</c>: a few continuations the trained model samples from its start token,
/// written at the end of a run so that the report shows what the model writes beside its loss.
/// </summary>
public sealed record TextSamples
{
    /// <summary>File name in the run folder.</summary>
    public const string FileName = "samples.json";

    /// <summary>Sampling temperature.</summary>
    [JsonPropertyName("temperature")] public double Temperature { get; init; }

    /// <summary>Top-k cut.</summary>
    [JsonPropertyName("top_k")] public int TopK { get; init; }

    /// <summary>Tokens per sample.</summary>
    [JsonPropertyName("tokens")] public int Tokens { get; init; }

    /// <summary>The samples, each drawn with its own seed.</summary>
    [JsonPropertyName("samples")] public IReadOnlyList<Sample> Samples { get; init; } = [];

    /// <summary>One sample.</summary>
    /// <param name="Seed">The sampler's seed (<c>hpclearn generate --seed</c> redraws it).</param>
    /// <param name="Text">The text sampled.</param>
    public sealed record Sample([property: JsonPropertyName("seed")] int Seed, [property: JsonPropertyName("text")] string Text);

    /// <summary>How many samples a run writes.</summary>
    public const int Count = 3;

    /// <summary>Samples <see cref="Count"/> texts of 200 tokens (temperature 0.8, top 40) from <paramref name="model"/> (mixed with the count model when given) and writes them.</summary>
    public static void Write(string runDir, TextTransformer model, TextTokenizer tokenizer, int seed, TextCountMixture? mixture = null)
    {
        var options = new SamplingOptions { Tokens = 200 };
        var sampler = new TextSampler(model, tokenizer, mixture);
        var samples = Enumerable.Range(0, Count).Select(i =>
        {
            // A seed of its own per sample, apart from the training seed's streams.
            int s = unchecked(seed * 1_000_003 + i + 1);
            return new Sample(s, tokenizer.Decode(sampler.Sample([], options with { Seed = s }).ToList()));
        }).ToList();
        var file = new TextSamples { Temperature = options.Temperature, TopK = options.TopK, Tokens = options.Tokens, Samples = samples };
        AtomicFile.WriteAllText(Path.Combine(runDir, FileName), JsonSerializer.Serialize(file, new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
