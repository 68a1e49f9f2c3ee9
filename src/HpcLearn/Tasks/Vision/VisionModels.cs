using static TorchSharp.torch;

namespace HpcLearn.Tasks.Vision;

/// <summary>Builds the network named by <see cref="VisionModelOptions.Arch"/>.</summary>
public static class VisionModels
{
    /// <summary>A fresh network for C x H x W inputs and <paramref name="classes"/> classes.</summary>
    public static nn.Module<Tensor[], Tensor> Create(VisionModelOptions options, int channels, int height, int width, int classes)
    {
        options.Validate();
        return options.Arch == "resnet"
            ? new ResNet(channels, classes, options)
            : new SmallCnn(channels, height, width, classes, options);
    }
}
