namespace HpcLearn.Data.Audio;

/// <summary>
/// A decoded WAV file: mono samples in [-1, 1] (channels averaged) at the file's own rate,
/// and what the file said about itself.
/// </summary>
/// <param name="Samples">Mono samples, one per frame; integer PCM is scaled by 1 / 2^(bits-1).</param>
/// <param name="SampleRate">Frames per second, as in the file.</param>
/// <param name="Channels">Channels in the file (averaged into <paramref name="Samples"/>).</param>
/// <param name="Format">How the samples were stored.</param>
public sealed record WavClip(float[] Samples, int SampleRate, int Channels, WavSampleFormat Format)
{
    /// <summary>Duration in seconds.</summary>
    public double Seconds => (double)Samples.Length / SampleRate;
}
