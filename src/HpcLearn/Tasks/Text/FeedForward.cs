using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace HpcLearn.Tasks.Text;

/// <summary>The position-wise MLP of a block: C → 4C → GELU → C, then dropout.</summary>
public sealed class FeedForward : Module<Tensor, Tensor>
{
    private readonly Linear c_fc;       // C → 4C
    private readonly GELU gelu;
    private readonly Linear c_proj;     // 4C → C
    private readonly Dropout dropout;

    /// <summary>Creates the MLP for embedding width <paramref name="embedding"/>.</summary>
    public FeedForward(int embedding, double dropout) : base(nameof(FeedForward))
    {
        c_fc = Linear(embedding, 4 * embedding);
        gelu = GELU();
        c_proj = Linear(4 * embedding, embedding);
        this.dropout = Dropout(dropout);
        RegisterComponents();
    }

    /// <summary>The output projection (its initialisation is scaled with depth).</summary>
    internal Linear Projection => c_proj;

    /// <inheritdoc />
    public override Tensor forward(Tensor x) =>                      // (B, T, C)
        dropout.forward(c_proj.forward(gelu.forward(c_fc.forward(x))));   // (B, T, 4C) → (B, T, C)
}
