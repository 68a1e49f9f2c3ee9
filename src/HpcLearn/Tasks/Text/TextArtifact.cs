using System.Text;
using System.Text.Json.Nodes;
using HpcLearn.Training;

namespace HpcLearn.Tasks.Text;

/// <summary>
/// A text model folder: the weights (<c>model.safetensors</c>) and, in <c>model.json</c>'s
/// details, what rebuilds the model and its tokenizer: the tokenizer kind, the alphabet (for
/// characters, in id order after the unknown token), the block size and the architecture.
/// </summary>
public sealed class TextArtifact : IDisposable
{
    private TextArtifact(TextTransformer model, TextTokenizer tokenizer, ModelManifest manifest)
    {
        Model = model;
        Tokenizer = tokenizer;
        Manifest = manifest;
    }

    /// <summary>The model, in evaluation mode.</summary>
    public TextTransformer Model { get; }

    /// <summary>Its tokenizer.</summary>
    public TextTokenizer Tokenizer { get; }

    /// <summary>model.json.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>The details section for a trained model.</summary>
    public static JsonObject Details(TextTokenizer tokenizer, TextTransformer model) => new()
    {
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
            var model = new TextTransformer(tokenizer.VocabSize, (int)d["block_size"]!, options);
            ModelArtifact.LoadWeights(directory, model);
            model.eval();
            return new TextArtifact(model, tokenizer, manifest);
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new UserError($"{where}: the details of this text model are incomplete or malformed ({e.Message}); train it again", e);
        }
    }

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}
