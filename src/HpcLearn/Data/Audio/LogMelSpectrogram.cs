using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Data.Audio;

/// <summary>
/// Log-mel spectrograms by libtorch's STFT: a periodic Hann window of <see cref="AudioOptions.NFft"/>
/// samples every <see cref="AudioOptions.Hop"/> samples, centred (reflect padding of n_fft / 2),
/// power |X|², the mel filters of <see cref="MelFilterbank"/>, then <c>ln(mel + eps)</c>.
/// This is torchaudio's <c>MelSpectrogram(power=2, norm=None)</c> followed by a natural log.
/// </summary>
public sealed class LogMelSpectrogram : IDisposable
{
    private readonly Tensor _window;     // (n_fft)
    private readonly Tensor _filters;    // (n_mels, n_fft/2 + 1)
    private readonly Scalar _epsilon;

    /// <summary>Builds the window and the filters for <paramref name="options"/> (validated here).</summary>
    public LogMelSpectrogram(AudioOptions options)
    {
        Options = options.Validate();
        _window = hann_window(options.NFft, periodic: true, dtype: float32);
        var fb = MelFilterbank.Create(options.NFft, options.SampleRate, options.NMels, options.FMin, options.EffectiveFMax, options.MelScale);
        _filters = tensor(fb, [options.NMels, options.NFft / 2 + 1], float32);
        _epsilon = options.LogEpsilon;
    }

    /// <summary>The options in use.</summary>
    public AudioOptions Options { get; }

    /// <summary>
    /// Log-mel spectrograms of a batch of waveforms: (N, L) float32 → (N, n_mels, 1 + L / hop).
    /// A (L) waveform gives (n_mels, frames).
    /// </summary>
    public Tensor Compute(Tensor waveforms)
    {
        if (waveforms.dim() is not (1 or 2)) throw new ArgumentException($"waveforms must be (L) or (N, L), got ({string.Join(", ", waveforms.shape)})", nameof(waveforms));
        if (waveforms.shape[^1] <= Options.NFft / 2) throw new ArgumentException($"waveforms need more than n_fft / 2 = {Options.NFft / 2} samples for reflect padding", nameof(waveforms));
        using var scope = NewDisposeScope();
        var spec = stft(waveforms.to_type(float32), Options.NFft, hop_length: Options.Hop, win_length: Options.NFft, window: _window,
            center: true, pad_mode: PaddingModes.Reflect, normalized: false, onesided: true, return_complex: true);  // (N, F, T) complex
        var power = view_as_real(spec).square().sum(-1);                                                        // (N, F, T)
        var mel = _filters.matmul(power);                                                                         // (N, M, T)
        return mel.add_(_epsilon).log_().MoveToOuterDisposeScope();
    }

    /// <summary>Log-mel spectrograms of clips that all have <see cref="AudioOptions.ClipSamples"/> samples: (N, n_mels, frames).</summary>
    public Tensor Compute(IReadOnlyList<float[]> clips)
    {
        int n = clips.Count, length = Options.ClipSamples;
        var flat = new float[(long)n * length];
        for (int i = 0; i < n; i++)
        {
            if (clips[i].Length != length) throw new ArgumentException($"clip {i} has {clips[i].Length} samples, expected {length} (use ClipLength.Fit)", nameof(clips));
            clips[i].CopyTo(flat, (long)i * length);
        }
        using var waves = tensor(flat, [n, length], float32);
        return Compute(waves);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _window.Dispose();
        _filters.Dispose();
        _epsilon.Dispose();
    }
}
