using HpcLearn.Data.Audio;
using Xunit;
using static TorchSharp.torch;

namespace HpcLearn.Tests.Data.Audio;

public sealed class AudioFeaturesTests
{
    [Fact]
    public void Clips_become_one_channel_log_mel_images_whatever_the_batch_size()
    {
        var set = SyntheticBirdCalls.Generate(1, seed: 1);
        using var features = new AudioFeatures(new AudioOptions());

        using var x = features.Compute(set.Clips);
        using var small = features.Compute(set.Clips, batchSize: 2);
        using var logMel = new LogMelSpectrogram(new AudioOptions());
        using var direct = logMel.Compute([set.Clips[3]]);

        Assert.Equal(new long[] { 5, 1, 64, 101 }, x.shape);
        Assert.Equal(features.ExampleShape, x.shape[1..]);
        Assert.True(x.allclose(small, rtol: 1e-5, atol: 1e-5));
        Assert.True(x[3].allclose(direct, rtol: 1e-6, atol: 1e-6));
    }

    [Fact]
    public void Clips_of_another_length_are_centre_cropped_or_padded_and_no_clips_give_an_empty_batch()
    {
        var clip = SyntheticBirdCalls.Generate(1, seed: 2).Clips[0];
        var longer = new float[20000];
        clip.CopyTo(longer, 2000);

        using var x = AudioFeatures.Compute([clip, longer, clip[..8000]], new AudioOptions());
        using var none = AudioFeatures.Compute([], new AudioOptions());

        Assert.True(x[0].allclose(x[1]));
        Assert.Equal(new long[] { 3, 1, 64, 101 }, x.shape);
        Assert.Equal(new long[] { 0, 1, 64, 101 }, none.shape);
    }

    [Fact]
    public void Options_have_the_documented_defaults_and_name_the_key_they_reject()
    {
        var o = new AudioOptions().Validate();
        Assert.Equal((16000, 16000, 512, 160, 64, 101, 8000.0), (o.SampleRate, o.ClipSamples, o.NFft, o.Hop, o.NMels, o.Frames, o.EffectiveFMax));

        Assert.StartsWith("audio: n_fft must be a power of two", Assert.Throws<UserError>(() => (o with { NFft = 500 }).Validate()).Message);
        Assert.StartsWith("audio: hop must be", Assert.Throws<UserError>(() => (o with { Hop = 0 }).Validate()).Message);
        Assert.StartsWith("audio: n_mels must be", Assert.Throws<UserError>(() => (o with { NMels = 300 }).Validate()).Message);
        Assert.StartsWith("audio: f_max must be", Assert.Throws<UserError>(() => (o with { FMax = 9000 }).Validate()).Message);
        Assert.StartsWith("audio: f_max must be", Assert.Throws<UserError>(() => (o with { FMin = 500, FMax = 400 }).Validate()).Message);
        Assert.StartsWith("audio: clip_seconds", Assert.Throws<UserError>(() => (o with { ClipSeconds = 0 }).Validate()).Message);
        Assert.StartsWith("audio: sample_rate", Assert.Throws<UserError>(() => (o with { SampleRate = 100 }).Validate()).Message);
    }
}
