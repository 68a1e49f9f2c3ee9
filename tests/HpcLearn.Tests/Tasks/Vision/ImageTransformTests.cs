using HpcLearn.Data;
using HpcLearn.Tasks.Vision;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace HpcLearn.Tests.Tasks.Vision;

public sealed class ImageTransformTests
{
    [Fact]
    public void Normalising_with_the_sets_statistics_gives_mean_0_and_std_1_per_channel()
    {
        var set = HpcLearn.Data.Images.SyntheticGalaxies.Generate(64, 16, seed: 5);
        var (mean, std) = ImageStatistics.Compute(set);
        using var transform = new ImageTransform(mean, std, flip: false, cropPadding: 0, seed: 0);
        using var pixels = set.PixelTensor();
        using var x = transform.Normalise(pixels);
        Assert.Equal(0, x.mean().ToDouble(), 4);
        Assert.Equal(1, x.std(unbiased: false).ToDouble(), 3);
    }

    [Fact]
    public void Augmentation_depends_only_on_epoch_and_batch_and_keeps_each_images_pixels()
    {
        using var transform = new ImageTransform([0.0], [1 / 255.0], flip: true, cropPadding: 0, seed: 7);
        // Images whose rows are 0..W-1: a flip reverses each row, so each image is either as it was or mirrored.
        var row = arange(6, ScalarType.Float32);
        using var pixels = row.expand(8, 1, 6, 6).contiguous().to_type(ScalarType.Byte);
        Tensor Run(int epoch, int batch)
        {
            using var b = new Batch([pixels.clone()], zeros(8, ScalarType.Int64));
            var result = transform.Train(b, epoch, batch);
            var x = result.Inputs[0].clone();
            result.Dispose();
            return x;
        }
        using var a = Run(3, 4);
        using var again = Run(3, 4);
        using var other = Run(3, 5);
        Assert.True(a.eq(again).all().ToBoolean());
        Assert.False(a.eq(other).all().ToBoolean());
        using var flipped = row.flip(0);
        int mirrored = 0;
        for (int i = 0; i < 8; i++)
        {
            using var first = a[i, 0, 0];
            bool same = first.eq(row).all().ToBoolean(), mirror = first.eq(flipped).all().ToBoolean();
            Assert.True(same || mirror);
            if (mirror) mirrored++;
        }
        Assert.InRange(mirrored, 1, 7);   // a fair coin per image: all or none of 8 is 1 in 128
    }

    [Fact]
    public void Random_crops_shift_the_image_within_the_padding()
    {
        using var transform = new ImageTransform([0.0], [1 / 255.0], flip: false, cropPadding: 2, seed: 1);
        using var pixels = full(new long[] { 16, 1, 8, 8 }, 100, ScalarType.Byte);
        using var b = new Batch([pixels.clone()], zeros(16, ScalarType.Int64));
        using var result = transform.Train(b, 0, 0);
        var x = result.Inputs[0];
        Assert.Equal(new long[] { 16, 1, 8, 8 }, x.shape);
        // Each crop shows at most 2 rows and 2 columns of padding: at least 6 x 6 of the 64 pixels are the image's.
        for (int i = 0; i < 16; i++)
        {
            using var kept = x[i].eq(100).sum();
            Assert.InRange(kept.ToInt64(), 36, 64);
        }
        using var zerosSeen = x.eq(0).sum();
        Assert.True(zerosSeen.ToInt64() > 0);   // some crop moved off-centre
    }
}
