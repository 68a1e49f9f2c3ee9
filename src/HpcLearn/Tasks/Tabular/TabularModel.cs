using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace HpcLearn.Tasks.Tabular;

/// <summary>
/// fastai-style tabular network: each categorical column gets an embedding, the embeddings are
/// concatenated with the standardised numeric features, and an MLP maps that to the outputs.
/// With a linear skip (<see cref="TabularModelOptions.LinearSkip"/>) the output is MLP(x) + a linear
/// function of the numeric features and the categories (one weight per category, i.e. of their
/// one-hot codes); <see cref="StartFromRidge"/> sets it to the closed-form ridge fit and the MLP's
/// last layer to zero, so a regression starts as ridge and trains the residual.
/// Inputs: [numeric (B, Dn) float32, categorical (B, C) int64]. Output: (B, K) logits or (B,) values.
/// </summary>
public sealed class TabularModel : Module<Tensor[], Tensor>
{
    private readonly ModuleList<Embedding> embeddings = new();
    private readonly Sequential mlp;
    private readonly Linear? skip;                                // numeric → outputs (null without numeric features)
    private readonly ModuleList<Embedding> skip_categories = new(); // one output row per category
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
        HasLinearSkip = UsesLinearSkip(schema, options);
        if (HasLinearSkip)
        {
            if (schema.NumericWidth > 0) skip = Linear(schema.NumericWidth, schema.OutputSize);
            foreach (var f in schema.Categorical)
                skip_categories.Add(Embedding(f.Categories.Count + 1, schema.OutputSize));
            // The linear path starts at zero until StartFromRidge fills it: the MLP alone, as without it.
            using var noGrad = no_grad();
            if (skip is not null) { skip.weight!.zero_(); skip.bias!.zero_(); }
            foreach (var e in skip_categories) e.weight!.zero_();
        }
        RegisterComponents();
    }

    /// <summary>Whether the network has the linear path.</summary>
    public bool HasLinearSkip { get; }

    /// <summary>Whether <paramref name="options"/> give <paramref name="schema"/>'s network a linear path: as set, else for a regression.</summary>
    public static bool UsesLinearSkip(TabularSchema schema, TabularModelOptions options) =>
        options.LinearSkip ?? schema.Target.Kind == TabularKind.Regression;

    /// <summary>
    /// Multiply-adds of the forward pass for one row: the matrix products of the MLP and of the linear
    /// path's numeric part (embedding look-ups multiply nothing), computed without building the network.
    /// </summary>
    public static double MultiplyAddsPerRow(TabularSchema schema, TabularModelOptions options)
    {
        double width = schema.NumericWidth + schema.Categorical.Sum(f => (double)f.EmbeddingSize), total = 0;
        foreach (int layer in options.Layers.Append(schema.OutputSize))
        {
            total += width * layer;
            width = layer;
        }
        if (UsesLinearSkip(schema, options)) total += (double)schema.NumericWidth * schema.OutputSize;
        return total;
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
        if (UsesLinearSkip(schema, options))
        {
            if (schema.NumericWidth > 0) count += (schema.NumericWidth + 1.0) * schema.OutputSize;
            count += schema.Categorical.Sum(f => (f.Categories.Count + 1.0) * schema.OutputSize);
        }
        return count;
    }

    /// <summary>
    /// Sets the linear path to the ridge fit of the (standardised) <paramref name="target"/> on the
    /// numeric features and the one-hot categories of the training rows, and the MLP's last layer to
    /// zero, so the network starts as ridge regression. Regression only. Returns the fit (its α), or
    /// null when the design matrix is wider than <see cref="TabularRidge.MaxColumns"/> (the path then stays at zero).
    /// </summary>
    /// <param name="numeric">(N, Dn) standardised numeric features.</param>
    /// <param name="codes">(N, C) category indices.</param>
    /// <param name="target">(N) standardised targets.</param>
    public RidgeSolution? StartFromRidge(Tensor numeric, Tensor codes, Tensor target)
    {
        if (!HasLinearSkip || !_regression) throw new InvalidOperationException("the ridge start needs a regression network with a linear skip");
        long columns = numeric.shape[1] + skip_categories.Sum(e => e.weight!.shape[0]);
        if (columns == 0 || columns > TabularRidge.MaxColumns) return null;
        using var scope = NewDisposeScope();
        var parts = new List<Tensor> { numeric.to(float64) };
        for (int j = 0; j < skip_categories.Count; j++)
            parts.Add(functional.one_hot(codes[.., j], skip_categories[j].weight!.shape[0]).to(float64)); // (N, n_j + 1)
        var fit = TabularRidge.Fit(cat(parts, 1), target);

        using var noGrad = no_grad();
        var w = tensor(fit.Weights, float32);                    // (Dn + Σ(n_j + 1))
        long at = 0;
        if (skip is not null)
        {
            skip.weight!.copy_(w[..(int)numeric.shape[1]].unsqueeze(0));
            skip.bias!.fill_(fit.Intercept);
            at = numeric.shape[1];
        }
        for (int j = 0; j < skip_categories.Count; j++)
        {
            var e = skip_categories[j].weight!;                  // (n_j + 1, 1)
            long rows = e.shape[0];
            var block = w[(int)at..(int)(at + rows)].unsqueeze(1);
            e.copy_(skip is null && j == 0 ? block + fit.Intercept : block); // no numeric bias: the first column's categories carry the intercept
            at += rows;
        }
        var last = (Linear)mlp.children().Last();                // the MLP's "out" layer
        last.weight!.zero_();
        last.bias!.zero_();
        return fit;
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
        if (skip is not null) y = y + skip.forward(numeric);       // (B, K)
        for (int j = 0; j < skip_categories.Count; j++)
            y = y + skip_categories[j].forward(codes[.., j]);      // (B, K)
        return (_regression ? y.squeeze(1) : y).MoveToOuterDisposeScope();
    }
}
