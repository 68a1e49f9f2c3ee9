using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace HpcLearn.Tasks.Tabular;

/// <summary>
/// fastai-style tabular network: each categorical column gets an embedding, the embeddings are
/// concatenated with the standardised numeric features, and an MLP maps that to the outputs.
/// Inputs: [numeric (B, Dn) float32, categorical (B, C) int64]. Output: (B, K) logits or (B,) values.
/// </summary>
public sealed class TabularModel : Module<Tensor[], Tensor>
{
    private readonly ModuleList<Embedding> embeddings = new();
    private readonly Sequential mlp;
    private readonly bool _regression;

    /// <summary>Builds the network for a schema.</summary>
    public TabularModel(TabularSchema schema, TabularModelOptions options) : base(nameof(TabularModel))
    {
        foreach (var f in schema.Categorical)
            embeddings.Add(Embedding(f.Categories.Count + 1, f.EmbeddingSize));
        long width = schema.NumericWidth + schema.Categorical.Sum(f => f.EmbeddingSize);
        var layers = new List<(string, Module<Tensor, Tensor>)>();
        for (int i = 0; i < options.Layers.Count; i++)
        {
            layers.Add(($"linear{i}", Linear(width, options.Layers[i])));
            layers.Add(($"relu{i}", ReLU()));
            if (options.Dropout > 0) layers.Add(($"dropout{i}", Dropout(options.Dropout)));
            width = options.Layers[i];
        }
        layers.Add(("out", Linear(width, schema.OutputSize)));
        mlp = Sequential(layers);
        _regression = schema.Target.Kind == TabularKind.Regression;
        RegisterComponents();
    }

    /// <summary>The parameters the network for <paramref name="schema"/> and <paramref name="options"/> has, computed without building it.</summary>
    public static double CountParameters(TabularSchema schema, TabularModelOptions options)
    {
        double count = schema.Categorical.Sum(f => (f.Categories.Count + 1.0) * f.EmbeddingSize);
        double width = schema.NumericWidth + schema.Categorical.Sum(f => (double)f.EmbeddingSize);
        foreach (int layer in options.Layers.Append(schema.OutputSize))
        {
            count += (width + 1) * layer;
            width = layer;
        }
        return count;
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor[] inputs)
    {
        using var scope = NewDisposeScope();
        var numeric = inputs[0];                                   // (B, Dn)
        var codes = inputs[1];                                     // (B, C)
        var parts = new List<Tensor> { numeric };
        for (int j = 0; j < embeddings.Count; j++)
            parts.Add(embeddings[j].forward(codes[.., j]));        // (B, E_j)
        var x = cat(parts, 1);                                     // (B, Dn + ΣE)
        var y = mlp.forward(x);                                    // (B, K)
        return (_regression ? y.squeeze(1) : y).MoveToOuterDisposeScope();
    }
}
