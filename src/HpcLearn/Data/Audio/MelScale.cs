namespace HpcLearn.Data.Audio;

/// <summary>The mapping between hertz and mels used to place the mel filters.</summary>
public enum MelScale
{
    /// <summary>HTK: <c>mel = 2595 · log10(1 + f / 700)</c>. torchaudio's default.</summary>
    Htk,

    /// <summary>Slaney (Auditory Toolbox; librosa's default): linear below 1 kHz (<c>3f / 200</c>), logarithmic above (<c>15 + 27 · ln(f / 1000) / ln 6.4</c>).</summary>
    Slaney,
}
