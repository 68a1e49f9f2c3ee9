namespace HpcLearn.Data.Audio;

/// <summary>
/// A file that is not a readable WAV: truncated, not RIFF/WAVE, chunks missing or inconsistent.
/// Distinct from the <see cref="UserError"/> thrown for a valid WAV in an unsupported encoding,
/// so a folder source can count such files and skip them. The message names the file.
/// </summary>
public sealed class CorruptWavException : Exception
{
    /// <summary>Creates the exception for <paramref name="file"/> with the reason it could not be read.</summary>
    public CorruptWavException(string file, string reason) : base($"{file}: corrupt WAV: {reason}")
    {
        File = file;
        Reason = reason;
    }

    /// <summary>The file that could not be read.</summary>
    public string File { get; }

    /// <summary>What is wrong with it, e.g. "data chunk truncated: 1000 bytes announced, 200 present".</summary>
    public string Reason { get; }
}
