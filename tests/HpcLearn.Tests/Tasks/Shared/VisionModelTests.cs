using HpcLearn.Tasks.Shared;
using Xunit;
using static TorchSharp.torch;

namespace HpcLearn.Tests.Tasks.Shared;

public sealed class VisionModelTests
{
    [Theory]
    [InlineData("cnn", 1, 28, 28)]
    [InlineData("cnn", 3, 64, 48)]
    [InlineData("resnet", 1, 28, 28)]
    [InlineData("resnet", 3, 17, 17)]
    public void Networks_map_images_to_one_logit_per_class(string arch, int channels, int h, int w)
    {
        using var model = VisionModels.Create(new VisionModelOptions { Arch = arch, Widths = [8, 16] }, channels, h, w, 5);
        using var x = randn(3, channels, h, w);
        using var y = model.forward([x]);
        Assert.Equal(new long[] { 3, 5 }, y.shape);
    }

    [Fact]
    public void An_unknown_architecture_names_the_key()
    {
        var e = Assert.Throws<UserError>(() => new VisionModelOptions { Arch = "vgg" }.Validate());
        Assert.Equal("model.arch: 'vgg' is not a vision network; use cnn or resnet", e.Message);
    }
}
