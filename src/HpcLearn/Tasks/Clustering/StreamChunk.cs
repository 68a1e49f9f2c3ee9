namespace HpcLearn.Tasks.Clustering;

/// <summary>
/// One chunk of <see cref="ClusterTableStream"/>: <see cref="Count"/> rows of values (row-major, original
/// units), each row's 1-based data row in the file, its <c>--labels</c> value when asked for, and the rows
/// dropped for a missing value since the previous chunk.
/// </summary>
internal sealed class StreamChunk(float[] values, long[] rows, string[]? labels)
{
    public float[] Values { get; private set; } = values;
    public long[] Rows { get; private set; } = rows;
    public string[]? Labels { get; private set; } = labels;
    public int Count { get; set; }
    public long Dropped { get; set; }

    public static StreamChunk Empty(int capacity, int d, bool labels) => new(new float[(long)capacity * d], new long[capacity], labels ? new string[capacity] : null);

    /// <summary>This chunk cut to its <see cref="Count"/> rows (the last one of a file is usually short).</summary>
    public StreamChunk Trimmed()
    {
        if (Count == Rows.Length) return this;
        int d = Values.Length / Math.Max(1, Rows.Length);
        Values = Values[..(Count * d)];
        Rows = Rows[..Count];
        Labels = Labels?[..Count];
        return this;
    }
}
