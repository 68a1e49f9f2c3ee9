using HpcLearn.Training.Optimizers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace HpcLearn.Tasks.Text;

/// <summary>
/// A decoder-only transformer language model (GPT-2's layout, as in nanoGPT):
/// <code>
/// h₀ = Dropout(E[x] + P[0..T))            token + position embeddings    (B, T, C)
/// hₗ = Blockₗ(hₗ₋₁),  l = 1..L           pre-norm causal blocks         (B, T, C)
/// logits = LN(h_L) Eᵀ                     weights tied to the embedding  (B, T, V)
/// </code>
/// Tying the output to the input embedding E saves V × C parameters and helps small models.
/// Input: token ids (B, T) int64 with T ≤ block size. Output: next-token logits (B, T, V).
/// </summary>
public sealed class TextTransformer : Module<Tensor, Tensor>
{
    private readonly Embedding wte;     // E: (V, C)
    private readonly Embedding wpe;     // P: (T_max, C)
    private readonly Dropout drop;
    private readonly ModuleList<TransformerBlock> h = new();
    private readonly LayerNorm ln_f;

    /// <summary>Creates the model with GPT-2's initialisation: N(0, 0.02), residual projections N(0, 0.02/√(2L)), zero biases.</summary>
    public TextTransformer(int vocabSize, int blockSize, TextModelOptions options) : base(nameof(TextTransformer))
    {
        VocabSize = vocabSize;
        BlockSize = blockSize;
        Options = options;
        wte = Embedding(vocabSize, options.Embedding);
        wpe = Embedding(blockSize, options.Embedding);
        drop = Dropout(options.Dropout);
        for (int l = 0; l < options.Layers; l++) h.Add(new TransformerBlock(options.Embedding, options.Heads, options.Dropout));
        ln_f = LayerNorm(options.Embedding);
        RegisterComponents();
        Initialise();
    }

    /// <summary>V.</summary>
    public int VocabSize { get; }

    /// <summary>T_max: the longest context.</summary>
    public int BlockSize { get; }

    /// <summary>Layers, heads, width, dropout.</summary>
    public TextModelOptions Options { get; }

    /// <summary>
    /// The parameters of a model of this shape, computed without building it (in double: it cannot
    /// overflow): V·C + T_max·C for the embeddings, 12C² + 13C a block, 2C for the last layer norm.
    /// </summary>
    public static double CountParameters(int vocabSize, int blockSize, TextModelOptions options)
    {
        double c = options.Embedding;
        return ((double)vocabSize + blockSize) * c + options.Layers * (12 * c * c + 13 * c) + 2 * c;
    }

    /// <summary>Number of parameters (the tied embedding counted once).</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <inheritdoc />
    public override Tensor forward(Tensor idx)                                 // (B, T)
    {
        long T = idx.size(1);
        if (T > BlockSize) throw new ArgumentException($"{T} tokens exceed the block size {BlockSize}");
        using Scalar zero = 0L, end = T;
        using var pos = arange(zero, end, dtype: ScalarType.Int64, device: idx.device);   // (T)
        var x = drop.forward(wte.forward(idx).add(wpe.forward(pos), Constants.One));     // (B, T, C)
        foreach (var block in h) x = block.forward(x);                                    // (B, T, C)
        return Logits(x);                                                                  // (B, T, V)
    }

    /// <summary>
    /// Logits of the new tokens <paramref name="idx"/> (B, t) placed after the <c>cache.Length</c>
    /// cached ones, whose keys and values the cache then holds too: (B, t, V).
    /// </summary>
    public Tensor Forward(Tensor idx, KvCache cache)
    {
        long start = cache.Length, T = idx.size(1);
        if (start + T > BlockSize) throw new ArgumentException($"{start + T} positions exceed the block size {BlockSize}");
        using Scalar from = start, end = start + T;
        using var pos = arange(from, end, dtype: ScalarType.Int64, device: idx.device);   // (t)
        var x = drop.forward(wte.forward(idx).add(wpe.forward(pos), Constants.One));     // (B, t, C)
        for (int l = 0; l < h.Count; l++) x = h[l].Forward(x, cache, l);                 // (B, t, C)
        cache.Advance(T);
        return Logits(x);                                                                  // (B, t, V)
    }

    /// <summary>An empty cache sized for this model and <paramref name="batch"/> sequences.</summary>
    public KvCache NewCache(long batch = 1) =>
        new(h.Count, batch, Options.Heads, BlockSize, Options.Embedding / Options.Heads);

    /// <summary>Mean cross-entropy of the next-token predictions: nats per token. x, y: (B, T).</summary>
    public Tensor Loss(Tensor x, Tensor y)
    {
        var logits = forward(x);                                                          // (B, T, V)
        return functional.cross_entropy(logits.view(-1, VocabSize), y.view(-1));         // ()
    }

    // Tied output layer: the same matrix E reads tokens in and scores them out.
    private Tensor Logits(Tensor x) => functional.linear(ln_f.forward(x), wte.weight!);  // (B, T, V)

    private void Initialise()
    {
        using var noGrad = no_grad();
        double residualStd = 0.02 / Math.Sqrt(2.0 * Options.Layers);
        foreach (var module in modules())
        {
            if (module is Linear linear)
            {
                init.normal_(linear.weight!, 0, 0.02);
                if (linear.bias is { } b) init.zeros_(b);
            }
            else if (module is Embedding e) init.normal_(e.weight!, 0, 0.02);
        }
        foreach (var block in h)
            foreach (var proj in block.ResidualProjections) init.normal_(proj.weight!, 0, residualStd);
    }
}
