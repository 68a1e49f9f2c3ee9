using HpcLearn.Training.Optimizers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Games;

/// <summary>x → relu(x + bn(conv(relu(bn(conv(x)))))): He et al.'s block, as in AlphaZero.</summary>
internal sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1, conv2;
    private readonly BatchNorm2d bn1, bn2;

    public ResidualBlock(int channels) : base(nameof(ResidualBlock))
    {
        conv1 = nn.Conv2d(channels, channels, 3, padding: 1, bias: false);
        bn1 = nn.BatchNorm2d(channels);
        conv2 = nn.Conv2d(channels, channels, 3, padding: 1, bias: false);
        bn2 = nn.BatchNorm2d(channels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)                     // (B, C, H, W)
    {
        var h = bn1.forward(conv1.forward(x)).relu_();           // (B, C, H, W)
        h = bn2.forward(conv2.forward(h));                       // (B, C, H, W)
        return h.add_(x, Constants.One).relu_();                 // (B, C, H, W)
    }
}
