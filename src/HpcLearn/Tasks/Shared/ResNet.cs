using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace HpcLearn.Tasks.Shared;

/// <summary>
/// A small ResNet: a 3x3 stem, stages of <see cref="ResidualBlock"/>s (each stage after the first
/// halves the resolution and has the next width), global average pooling, dropout, logits.
/// Input: [images (B, C, H, W) float32, normalised]. Output: (B, K) logits. Convolutions run
/// channels-last on the CPU (<see cref="ChannelsLast"/>).
/// </summary>
public sealed class ResNet : Module<Tensor[], Tensor>
{
    private readonly Sequential stem;
    private readonly Sequential stages;
    private readonly Sequential head;

    /// <summary>Builds the network for <paramref name="channels"/> input channels and <paramref name="classes"/> outputs.</summary>
    public ResNet(int channels, int classes, VisionModelOptions options) : base(nameof(ResNet))
    {
        var widths = options.StageWidths;
        stem = Sequential(("conv", Conv2d(channels, widths[0], 3, padding: 1, bias: false)), ("bn", BatchNorm2d(widths[0])), ("relu", ReLU()));
        var blocks = new List<(string, Module<Tensor, Tensor>)>();
        long c = widths[0];
        for (int s = 0; s < widths.Count; s++)
            for (int b = 0; b < options.Blocks; b++)
            {
                blocks.Add(($"stage{s}_block{b}", new ResidualBlock(c, widths[s], s > 0 && b == 0 ? 2 : 1)));
                c = widths[s];
            }
        stages = Sequential(blocks);
        head = Sequential(("pool", AdaptiveAvgPool2d(1)), ("flatten", Flatten()), ("dropout", Dropout(options.Dropout)), ("out", Linear(c, classes)));
        RegisterComponents();
        ConvolutionCheck.Ensure(this); // oneDNN off for the process if it computes these shapes wrong on this CPU
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor[] inputs)
    {
        using var scope = NewDisposeScope();
        var x = ChannelsLast.Forward(stem, inputs[0]);   // (B, W0, H, W), channels-last on the CPU (the blocks keep it)
        x = stages.forward(x);             // (B, W_last, H / 2^(S-1), W / 2^(S-1))
        return head.forward(x).MoveToOuterDisposeScope();   // (B, K)
    }
}
