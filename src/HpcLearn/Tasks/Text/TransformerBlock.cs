using HpcLearn.Training.Optimizers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace HpcLearn.Tasks.Text;

/// <summary>
/// A pre-norm transformer block (GPT-2): each sub-layer reads a layer-normed copy of the
/// residual stream and adds its result back.
/// <code>
/// x ← x + Attention(LN₁(x))
/// x ← x + MLP(LN₂(x))
/// </code>
/// </summary>
public sealed class TransformerBlock : Module<Tensor, Tensor>
{
    private readonly LayerNorm ln_1;
    private readonly CausalSelfAttention attn;
    private readonly LayerNorm ln_2;
    private readonly FeedForward mlp;

    /// <summary>Creates a block.</summary>
    public TransformerBlock(int embedding, int heads, double dropout) : base(nameof(TransformerBlock))
    {
        ln_1 = LayerNorm(embedding);
        attn = new CausalSelfAttention(embedding, heads, dropout);
        ln_2 = LayerNorm(embedding);
        mlp = new FeedForward(embedding, dropout);
        RegisterComponents();
    }

    /// <summary>The attention and MLP output projections (initialised smaller with depth).</summary>
    internal IEnumerable<Linear> ResidualProjections => [attn.Projection, mlp.Projection];

    /// <inheritdoc />
    public override Tensor forward(Tensor x)                                    // (B, T, C)
    {
        x = x.add(attn.forward(ln_1.forward(x)), Constants.One);               // (B, T, C)
        return x.add(mlp.forward(ln_2.forward(x)), Constants.One);             // (B, T, C)
    }

    /// <summary>The block over new positions only, reading and extending <paramref name="cache"/>.</summary>
    public Tensor Forward(Tensor x, KvCache cache, int layer)
    {
        x = x.add(attn.Forward(ln_1.forward(x), cache, layer), Constants.One);
        return x.add(mlp.forward(ln_2.forward(x)), Constants.One);
    }
}
