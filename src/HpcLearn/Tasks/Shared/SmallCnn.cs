using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace HpcLearn.Tasks.Shared;

/// <summary>
/// A small convolutional classifier: per stage conv 3x3 → batch norm → ReLU → 2x2 max-pool (computed
/// as max-pool then ReLU, the same function), then average-pooled to at most 7 x 7, a hidden layer
/// with dropout, and the class logits.
/// Input: [images (B, C, H, W) float32, normalised]. Output: (B, K) logits. Convolutions run
/// channels-last on the CPU (<see cref="ChannelsLast"/>).
/// </summary>
public sealed class SmallCnn : Module<Tensor[], Tensor>
{
    private readonly Sequential features;
    private readonly Sequential head;

    /// <summary>Builds the network for C x H x W inputs and <paramref name="classes"/> outputs.</summary>
    public SmallCnn(int channels, int height, int width, int classes, VisionModelOptions options) : base(nameof(SmallCnn))
    {
        var layers = new List<(string, Module<Tensor, Tensor>)>();
        long c = channels, h = height, w = width;
        for (int i = 0; i < options.StageWidths.Count; i++)
        {
            int o = options.StageWidths[i];
            layers.Add(($"conv{i}", Conv2d(c, o, 3, padding: 1, bias: false)));
            layers.Add(($"bn{i}", BatchNorm2d(o)));
            // ReLU after the 2x2 max-pool: the same function and gradient as before it (ReLU is monotone,
            // so max and ReLU commute; where the largest value is ≤ 0 both give 0 and a zero gradient),
            // on a quarter of the values.
            if (h >= 2 && w >= 2)
            {
                layers.Add(($"pool{i}", MaxPool2d(2)));
                h /= 2; w /= 2;
            }
            layers.Add(($"relu{i}", ReLU()));
            c = o;
        }
        long ph = Math.Min(h, 7), pw = Math.Min(w, 7);
        if (ph != h || pw != w) layers.Add(("pool", AdaptiveAvgPool2d([ph, pw])));   // pooling 7×7 to 7×7 is the identity: left out
        features = Sequential(layers);
        head = Sequential(
            ("flatten", Flatten()),
            ("hidden", Linear(c * ph * pw, options.Hidden)),
            ("relu", ReLU()),
            ("dropout", Dropout(options.Dropout)),
            ("out", Linear(options.Hidden, classes)));
        RegisterComponents();
        ConvolutionCheck.Ensure(this); // oneDNN off for the process if it computes these shapes wrong on this CPU
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor[] inputs)
    {
        using var scope = NewDisposeScope();
        var x = ChannelsLast.Forward(features, inputs[0]);   // (B, C_last, h, w), channels-last on the CPU
        return head.forward(x).MoveToOuterDisposeScope();   // (B, K)
    }
}
