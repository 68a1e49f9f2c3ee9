namespace HpcLearn.Runs;

/// <summary>A float32 tensor by name, for weights that are plain arrays rather than a module's (a clustering's centres).</summary>
/// <param name="Name">The tensor's name in the safetensors file.</param>
/// <param name="Shape">Its shape; the product is <paramref name="Data"/>'s length.</param>
/// <param name="Data">The values, row-major.</param>
public sealed record NamedTensor(string Name, int[] Shape, float[] Data);
