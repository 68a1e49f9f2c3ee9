using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Data.Audio;

/// <summary>
/// Clips → a (N, 1, n_mels, frames) float32 tensor of log-mel spectrograms, the input of an image
/// classifier over spectrograms. Clips of another length are first centre-cropped or zero-padded
/// to <see cref="AudioOptions.ClipSamples"/>; they must already be at <see cref="AudioOptions.SampleRate"/>
/// (as <see cref="WavFolderSource"/> and <see cref="SyntheticBirdCalls"/> give them).
/// Normalise with <see cref="SpectrogramStats"/> computed on the training clips.
/// </summary>
public sealed class AudioFeatures : IDisposable
{
    private readonly LogMelSpectrogram _logMel;

    /// <summary>Prepares the window and mel filters for <paramref name="options"/> (validated here).</summary>
    public AudioFeatures(AudioOptions options) => _logMel = new LogMelSpectrogram(options);

    /// <summary>The options in use.</summary>
    public AudioOptions Options => _logMel.Options;

    /// <summary>Shape of one example: (1, n_mels, frames).</summary>
    public long[] ExampleShape => [1, Options.NMels, Options.Frames];

    /// <summary>Log-mel spectrograms of <paramref name="clips"/>: (N, 1, n_mels, frames), computed <paramref name="batchSize"/> clips at a time to bound memory.</summary>
    public Tensor Compute(IReadOnlyList<float[]> clips, int batchSize = 256)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), "batchSize must be at least 1");
        if (clips.Count == 0) return zeros([0, 1, Options.NMels, Options.Frames], float32);
        int length = Options.ClipSamples;
        var parts = new List<Tensor>();
        try
        {
            for (int start = 0; start < clips.Count; start += batchSize)
            {
                var batch = Enumerable.Range(start, Math.Min(batchSize, clips.Count - start)).Select(i => ClipLength.Fit(clips[i], length)).ToArray();
                parts.Add(_logMel.Compute(batch));   // (B, M, T)
            }
            using var all = parts.Count == 1 ? parts[0].alias() : cat(parts, 0);
            return all.unsqueeze(1);                 // (N, 1, M, T)
        }
        finally
        {
            foreach (var p in parts) p.Dispose();
        }
    }

    /// <summary>One-call form: builds the filters, computes, releases them.</summary>
    public static Tensor Compute(IReadOnlyList<float[]> clips, AudioOptions options)
    {
        using var features = new AudioFeatures(options);
        return features.Compute(clips);
    }

    /// <inheritdoc/>
    public void Dispose() => _logMel.Dispose();
}
