namespace HpcLearn.Data.Audio;

/// <summary>How the samples of a WAV file are stored (what <see cref="WavReader"/> reads and <see cref="WavWriter"/> writes).</summary>
public enum WavSampleFormat
{
    /// <summary>8-bit unsigned PCM (silence is 128).</summary>
    Pcm8,
    /// <summary>16-bit signed PCM.</summary>
    Pcm16,
    /// <summary>24-bit signed PCM (3 bytes per sample).</summary>
    Pcm24,
    /// <summary>32-bit signed PCM.</summary>
    Pcm32,
    /// <summary>32-bit IEEE float.</summary>
    Float32,
    /// <summary>64-bit IEEE float.</summary>
    Float64,
}
