using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace HpcLearn.Tasks.Shared;

/// <summary>
/// He et al.'s basic block: y = ReLU(BN(conv(ReLU(BN(conv(x))))) + shortcut(x)), the shortcut a
/// strided 1x1 conv + BN where the shape changes, else the identity.
/// </summary>
public sealed class ResidualBlock : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1, conv2;
    private readonly BatchNorm2d bn1, bn2;
    private readonly Sequential? shortcut;
    private static readonly Scalar One = 1.0;

    /// <summary>A block from <paramref name="inChannels"/> to <paramref name="outChannels"/>, downsampling by <paramref name="stride"/>.</summary>
    public ResidualBlock(long inChannels, long outChannels, long stride) : base(nameof(ResidualBlock))
    {
        conv1 = Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false);
        bn1 = BatchNorm2d(outChannels);
        conv2 = Conv2d(outChannels, outChannels, 3, padding: 1, bias: false);
        bn2 = BatchNorm2d(outChannels);
        if (stride != 1 || inChannels != outChannels)
            shortcut = Sequential(("conv", Conv2d(inChannels, outChannels, 1, stride: stride, bias: false)), ("bn", BatchNorm2d(outChannels)));
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = functional.relu(bn1.forward(ChannelsLast.Forward(conv1, x)));   // (B, C_out, H/s, W/s)
        y = bn2.forward(ChannelsLast.Forward(conv2, y));
        var s = shortcut is null ? x : ChannelsLast.Forward(shortcut, x);
        return functional.relu(y.add_(s, One)).MoveToOuterDisposeScope();
    }
}
