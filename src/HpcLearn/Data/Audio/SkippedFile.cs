namespace HpcLearn.Data.Audio;

/// <summary>A file a source could not use, and why.</summary>
/// <param name="Path">The file.</param>
/// <param name="Reason">What was wrong, e.g. "corrupt WAV: data chunk truncated: ..." or "WAV format code 0x0006 (A-law) is not supported".</param>
public sealed record SkippedFile(string Path, string Reason);
