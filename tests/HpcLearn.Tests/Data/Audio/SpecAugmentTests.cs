using HpcLearn.Data.Audio;
using Xunit;
using static TorchSharp.torch;

namespace HpcLearn.Tests.Data.Audio;

public sealed class SpecAugmentTests
{
    private static readonly SpecAugmentOptions Options = new() { FrequencyMasks = 2, MaxFrequencyWidth = 5, TimeMasks = 2, MaxTimeWidth = 7, MaskValue = -1 };

    [Fact]
    public void Masks_are_whole_bands_and_frames_within_the_limits_and_the_rest_is_untouched()
    {
        using var batch = rand([16, 1, 20, 40], generator: new Generator(1)).add(1);   // all in [1, 2): a mask shows as -1
        using var augment = new SpecAugment(Options, seed: 7);
        using var masked = augment.Apply(batch);

        Assert.Equal(1f, batch.min().item<float>(), 0.5f);                             // input unchanged
        int anyMasked = 0;
        for (int i = 0; i < 16; i++)
        {
            var m = masked[i, 0].data<float>().ToArray();                              // (20, 40) row-major
            var b = batch[i, 0].data<float>().ToArray();
            bool Hit(int f, int t) => m[f * 40 + t] == -1f;
            var bands = Enumerable.Range(0, 20).Where(f => Enumerable.Range(0, 40).All(t => Hit(f, t))).ToHashSet();
            var frames = Enumerable.Range(0, 40).Where(t => Enumerable.Range(0, 20).All(f => Hit(f, t))).ToHashSet();
            Assert.InRange(bands.Count, 0, 2 * 5);
            Assert.InRange(frames.Count, 0, 2 * 7);
            for (int f = 0; f < 20; f++)
                for (int t = 0; t < 40; t++)
                    if (bands.Contains(f) || frames.Contains(t)) Assert.True(Hit(f, t));
                    else Assert.Equal(b[f * 40 + t], m[f * 40 + t]);
            anyMasked += bands.Count + frames.Count;
        }
        Assert.True(anyMasked > 16, "masks were drawn");
    }

    [Fact]
    public void The_same_seed_gives_the_same_masks_and_another_seed_other_masks()
    {
        using var batch = ones([8, 20, 40]);
        using var a = new SpecAugment(Options, 3);
        using var b = new SpecAugment(Options, 3);
        using var c = new SpecAugment(Options, 4);

        using var ma = a.Apply(batch);
        using var mb = b.Apply(batch);
        using var mc = c.Apply(batch);

        Assert.True(ma.Equals(mb));
        Assert.False(ma.Equals(mc));
    }

    [Fact]
    public void Negative_widths_are_a_user_error()
    {
        Assert.Contains("max_time_width", Assert.Throws<UserError>(() => new SpecAugmentOptions { MaxTimeWidth = -1 }.Validate()).Message);
    }
}
