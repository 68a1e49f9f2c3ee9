namespace HpcLearn.Runs;

/// <summary>One tensor listed in a safetensors header, already checked against the file.</summary>
/// <param name="Name">The tensor's name (a state-dict key such as <c>mlp.linear0.weight</c>).</param>
/// <param name="DType">The safetensors dtype, e.g. <c>F32</c>.</param>
/// <param name="Shape">Sizes of its dimensions (empty for a scalar).</param>
/// <param name="Begin">First byte, relative to the start of the data section.</param>
/// <param name="End">One past the last byte, relative to the start of the data section.</param>
public sealed record SafeTensorsEntry(string Name, string DType, long[] Shape, long Begin, long End)
{
    /// <summary>The shape as written in the header, e.g. <c>[16,4]</c>.</summary>
    public string ShapeText => "[" + string.Join(",", Shape) + "]";
}
