namespace HpcLearn.Data.Images;

/// <summary>A file left out of a data set because it could not be read.</summary>
/// <param name="Path">The file.</param>
/// <param name="Reason">Why (e.g. "truncated image data").</param>
public sealed record SkippedFile(string Path, string Reason);
