namespace HpcLearn.Data.Audio;

/// <summary>Options of <see cref="SyntheticBirdCalls"/>. Defaults: 1-second 16 kHz clips, calls of 0.15–0.5 s, 10 dB SNR.</summary>
public sealed record SyntheticBirdCallsOptions
{
    /// <summary>Sample rate, in Hz (at least 12000, so every call fits below Nyquist). Default 16000.</summary>
    public int SampleRate { get; init; } = 16000;

    /// <summary>Clip length in seconds. Default 1.0.</summary>
    public double ClipSeconds { get; init; } = 1.0;

    /// <summary>Shortest call, in seconds. Default 0.15.</summary>
    public double MinCallSeconds { get; init; } = 0.15;

    /// <summary>Longest call, in seconds (at most <see cref="ClipSeconds"/>). Default 0.5.</summary>
    public double MaxCallSeconds { get; init; } = 0.5;

    /// <summary>
    /// Signal-to-noise ratio in dB of the white Gaussian background: call power over its own
    /// duration / noise power. Default 10.
    /// </summary>
    public double SnrDb { get; init; } = 10;

    /// <summary>Samples per clip.</summary>
    public int ClipSamples => (int)Math.Round(SampleRate * ClipSeconds);

    /// <summary>Checks the options; throws a one-line <see cref="UserError"/>.</summary>
    public SyntheticBirdCallsOptions Validate()
    {
        if (SampleRate < 12000 || SampleRate > 384000) throw new UserError($"bird calls: sample_rate must be between 12000 and 384000 Hz (got {SampleRate})");
        if (!(ClipSeconds > 0) || ClipSeconds > 60) throw new UserError($"bird calls: clip_seconds must be in (0, 60] (got {ClipSeconds})");
        if (!(MinCallSeconds >= 0.05) || !(MaxCallSeconds >= MinCallSeconds) || MaxCallSeconds > ClipSeconds)
            throw new UserError($"bird calls: need 0.05 <= min_call_seconds <= max_call_seconds <= clip_seconds (got {MinCallSeconds}, {MaxCallSeconds}, {ClipSeconds})");
        if (!double.IsFinite(SnrDb)) throw new UserError($"bird calls: snr_db must be a finite number (got {SnrDb})");
        return this;
    }
}
