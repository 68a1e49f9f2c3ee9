namespace HpcLearn.Data.Audio;

/// <summary>
/// How clips become log-mel spectrograms. Defaults suit 16 kHz speech and bird-call clips:
/// 32 ms windows every 10 ms, 64 mel bands from 0 Hz to Nyquist. A 1-second clip gives a
/// (64, 101) spectrogram.
/// </summary>
public sealed record AudioOptions
{
    /// <summary>Rate every clip is resampled to, in Hz. Default: for a folder of WAV files, the most common rate among them (when the config leaves the key out); otherwise 16000.</summary>
    public int SampleRate { get; init; } = 16000;

    /// <summary>Clip length in seconds: longer recordings are cropped to their centre, shorter ones zero-padded on both sides. Default 1.0.</summary>
    public double ClipSeconds { get; init; } = 1.0;

    /// <summary>FFT size and Hann window length, in samples. Default 512 (32 ms at 16 kHz).</summary>
    public int NFft { get; init; } = 512;

    /// <summary>Samples between successive frames. Default 160 (10 ms at 16 kHz).</summary>
    public int Hop { get; init; } = 160;

    /// <summary>Number of mel bands. Default 64.</summary>
    public int NMels { get; init; } = 64;

    /// <summary>Lowest filter edge, in Hz. Default 0.</summary>
    public double FMin { get; init; } = 0;

    /// <summary>Highest filter edge, in Hz; null means the Nyquist frequency (<see cref="SampleRate"/> / 2). Default null.</summary>
    public double? FMax { get; init; }

    /// <summary>Mel scale of the filter centres. Default <see cref="MelScale.Htk"/> (torchaudio's default).</summary>
    public MelScale MelScale { get; init; } = MelScale.Htk;

    /// <summary>Added to the mel power before the natural log, so silence gives ln(eps) instead of −∞. Default 1e-6.</summary>
    public double LogEpsilon { get; init; } = 1e-6;

    /// <summary>Samples per clip: round(<see cref="SampleRate"/> × <see cref="ClipSeconds"/>).</summary>
    public int ClipSamples => (int)Math.Round(SampleRate * ClipSeconds);

    /// <summary>Frames per clip: 1 + ClipSamples / Hop (the STFT is centred: the signal is reflect-padded by NFft / 2 each side).</summary>
    public int Frames => 1 + ClipSamples / Hop;

    /// <summary>The upper filter edge in use.</summary>
    public double EffectiveFMax => FMax ?? SampleRate / 2.0;

    /// <summary>Checks the options; throws a one-line <see cref="UserError"/> naming the key.</summary>
    public AudioOptions Validate()
    {
        if (SampleRate < 1000 || SampleRate > 384000) throw new UserError($"audio: sample_rate must be between 1000 and 384000 Hz (got {SampleRate})");
        if (!(ClipSeconds > 0) || ClipSeconds > 600) throw new UserError($"audio: clip_seconds must be in (0, 600] (got {ClipSeconds})");
        if (NFft < 16 || NFft > 65536 || (NFft & (NFft - 1)) != 0) throw new UserError($"audio: n_fft must be a power of two from 16 to 65536 (got {NFft})");
        if (Hop < 1 || Hop > NFft) throw new UserError($"audio: hop must be between 1 and n_fft = {NFft} (got {Hop})");
        if (NMels < 1 || NMels > NFft / 2 + 1) throw new UserError($"audio: n_mels must be between 1 and n_fft / 2 + 1 = {NFft / 2 + 1} (got {NMels})");
        if (!(FMin >= 0)) throw new UserError($"audio: f_min must be >= 0 (got {FMin})");
        if (!(EffectiveFMax > FMin) || EffectiveFMax > SampleRate / 2.0)
            throw new UserError($"audio: f_max must be above f_min = {FMin} and at most sample_rate / 2 = {SampleRate / 2.0} (got {EffectiveFMax})");
        if (!(LogEpsilon > 0)) throw new UserError($"audio: log_epsilon must be > 0 (got {LogEpsilon})");
        // Reflect padding needs more samples than half a window.
        if (ClipSamples <= NFft / 2) throw new UserError($"audio: clip_seconds × sample_rate = {ClipSamples} samples must exceed n_fft / 2 = {NFft / 2}");
        // The spectrogram is the network's input image: bounded like a decoded image.
        if ((long)NMels * Frames > Images.ImageFile.MaxPixels)
            throw new UserError($"audio: n_mels x frames = {NMels} x {Frames} is over {Images.ImageFile.MaxPixels:N0} values a clip; use a longer hop, fewer mels or shorter clips");
        return this;
    }
}
