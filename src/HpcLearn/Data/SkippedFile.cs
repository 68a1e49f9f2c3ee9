namespace HpcLearn.Data;

/// <summary>A file a source left out because it could not be used (image, WAV), and why.</summary>
/// <param name="Path">The file.</param>
/// <param name="Reason">What was wrong, e.g. "truncated image data" or "WAV format code 0x0006 (A-law) is not supported".</param>
public sealed record SkippedFile(string Path, string Reason);
