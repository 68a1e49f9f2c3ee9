using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace HpcLearn.Tasks.Text;

/// <summary>
/// Multi-head causal self-attention (Vaswani et al. 2017): for each head,
/// softmax(Q Kᵀ / √D + M) V with M = −∞ above the diagonal, so position t sees only 1..t;
/// the heads are concatenated and projected back to C. Runs on libtorch's fused
/// scaled-dot-product attention (<c>is_causal</c>), which never materialises the T × T mask.
/// </summary>
public sealed class CausalSelfAttention : Module<Tensor, Tensor>
{
    private readonly Linear c_attn;     // C → 3C: query, key, value of every head at once
    private readonly Linear c_proj;     // C → C
    private readonly Dropout resid_dropout;
    private readonly long _heads;
    private readonly double _dropout;

    /// <summary>Creates the layer for embedding width <paramref name="embedding"/> split over <paramref name="heads"/> heads.</summary>
    public CausalSelfAttention(int embedding, int heads, double dropout) : base(nameof(CausalSelfAttention))
    {
        c_attn = Linear(embedding, 3 * embedding);
        c_proj = Linear(embedding, embedding);
        resid_dropout = Dropout(dropout);
        _heads = heads;
        _dropout = dropout;
        RegisterComponents();
    }

    /// <summary>The output projection (its initialisation is scaled with depth).</summary>
    internal Linear Projection => c_proj;

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => Attend(x, null, 0);

    /// <summary>
    /// Attention of the new positions x (B, t, C) over the cached ones and themselves; the cache
    /// must be empty when t &gt; 1 (a prompt), or t must be 1 (one sampled token).
    /// </summary>
    public Tensor Forward(Tensor x, KvCache cache, int layer) => Attend(x, cache, layer);

    private Tensor Attend(Tensor x, KvCache? cache, int layer)
    {
        long B = x.size(0), T = x.size(1), C = x.size(2), H = _heads, D = C / H;
        var qkv = c_attn.forward(x).split(C, 2);                     // 3 × (B, T, C)
        var q = qkv[0].view(B, T, H, D).transpose(1, 2);             // (B, H, T, D)
        var k = qkv[1].view(B, T, H, D).transpose(1, 2);             // (B, H, T, D)
        var v = qkv[2].view(B, T, H, D).transpose(1, 2);             // (B, H, T, D)
        bool causal = true;
        if (cache is not null)
        {
            if (T > 1 && cache.Length > 0) throw new InvalidOperationException("a prompt of several tokens needs an empty cache");
            (k, v) = cache.Append(layer, k, v);                        // (B, H, L + T, D)
            causal = T > 1;                                            // one new token may see every cached one
        }
        var y = functional.scaled_dot_product_attention(q, k, v,
            p: training ? _dropout : 0, is_casual: causal);            // (B, H, T, D); TorchSharp spells it "casual"
        y = y.transpose(1, 2).contiguous().view(B, T, C);              // (B, T, C): heads side by side
        return resid_dropout.forward(c_proj.forward(y));               // (B, T, C)
    }
}
