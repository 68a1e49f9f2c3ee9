using System.Text;
using System.Text.Json.Nodes;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Tasks.Text;

/// <summary>
/// A text model folder: the weights (<c>model.safetensors</c>) and, in <c>model.json</c>'s
/// details, what rebuilds the model and its tokenizer: the tokenizer kind, the alphabet (for
/// characters, in id order after the unknown token), the block size and the architecture.
/// </summary>
public sealed class TextArtifact : IDisposable
{
    private TextArtifact(TextTransformer model, TextTokenizer tokenizer, ModelManifest manifest, TextCountMixture? mixture)
    {
        Mixture = mixture;
        Model = model;
        Tokenizer = tokenizer;
        Manifest = manifest;
    }

    /// <summary>The model, in evaluation mode.</summary>
    public TextTransformer Model { get; }

    /// <summary>Its tokenizer.</summary>
    public TextTokenizer Tokenizer { get; }

    /// <summary>The count model mixed in when scoring and sampling (<c>details.mixture</c>; null: the transformer alone).</summary>
    public TextCountMixture? Mixture { get; }

    /// <summary>model.json.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>The details section for a trained model.</summary>
    public static JsonObject Details(TextTokenizer tokenizer, TextTransformer model, JsonObject? mixture = null) => new()
    {
        ["mixture"] = mixture,
        ["tokenizer"] = tokenizer.Kind == TokenizerKind.Byte ? "byte" : "char",
        ["alphabet"] = tokenizer is CharTokenizer c ? new JsonArray(c.Alphabet.Select(r => (JsonNode)JsonValue.Create(r.ToString())!).ToArray()) : null,
        ["block_size"] = model.BlockSize,
        ["vocab_size"] = model.VocabSize,
        ["model"] = new JsonObject
        {
            ["layers"] = model.Options.Layers,
            ["heads"] = model.Options.Heads,
            ["embedding"] = model.Options.Embedding,
            ["dropout"] = model.Options.Dropout,
        },
        ["parameters"] = model.ParameterCount,
    };

    /// <summary>Loads a model folder written by the text task.</summary>
    public static TextArtifact Load(string directory)
    {
        var manifest = ModelArtifact.LoadManifest(directory, TextTask.Name);
        var d = manifest.Details;
        string where = Path.Combine(directory, ModelArtifact.ManifestFile);
        try
        {
            TextTokenizer tokenizer = (string?)d["tokenizer"] == "byte"
                ? new ByteTokenizer()
                : new CharTokenizer(d["alphabet"]!.AsArray().Select(n => Rune.GetRuneAt((string)n!, 0)));
            var m = d["model"]!;
            var options = new TextModelOptions
            {
                Layers = (int)m["layers"]!, Heads = (int)m["heads"]!, Embedding = (int)m["embedding"]!, Dropout = (double)m["dropout"]!,
            };
            int blockSize = (int)d["block_size"]!;
            Check(new ArchitectureCheck(where), options, tokenizer.VocabSize, blockSize);
            var model = new TextTransformer(tokenizer.VocabSize, blockSize, options);
            ModelArtifact.LoadWeights(directory, model);
            model.eval();
            return new TextArtifact(model, tokenizer, manifest, TextCountMixture.Read(directory, d["mixture"], tokenizer.VocabSize));
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new UserError($"{where}: the details of this text model are incomplete or malformed ({e.Message}); train it again", e);
        }
    }

    // Bounds before the network is built: a forged width must not allocate gigabytes.
    private static void Check(ArchitectureCheck c, TextModelOptions o, int vocabSize, int blockSize)
    {
        c.Depth("details.model.layers", o.Layers);
        c.Width("details.model.embedding", o.Embedding);
        c.Range("details.model.heads", o.Heads, 1, o.Embedding);
        if (o.Embedding % o.Heads != 0) throw c.Error("details.model.heads", $"is {o.Heads}, which does not divide the embedding width {o.Embedding}");
        if (!(o.Dropout is >= 0 and < 1)) throw c.Error("details.model.dropout", $"is {o.Dropout}; it must be in [0, 1)");
        c.Range("details.block_size", blockSize, 2, ArchitectureCheck.MaxWidth);
        c.Range("details.alphabet (count)", vocabSize, 1, ArchitectureCheck.MaxWidth);
        c.Parameters(TextTransformer.CountParameters(vocabSize, blockSize, o));
    }

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}
