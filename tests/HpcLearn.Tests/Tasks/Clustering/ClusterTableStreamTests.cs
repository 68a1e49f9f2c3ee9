using HpcLearn.Tasks.Clustering;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Tasks.Clustering;

/// <summary>The chunked reader behind <c>cluster --stream</c>: never more than a chunk of rows at once, and the values the in-memory table holds.</summary>
public sealed class ClusterTableStreamTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void Chunks_hold_at_most_chunk_rows_rows_and_cover_the_file_in_order()
    {
        var lines = Enumerable.Range(1, 1003).Select(i => $"{i};\"{i * 0.5}\";k{i % 3}");
        var path = _tmp.Write("t.csv", "x;y;label\n" + string.Join("\n", lines) + "\n");
        var s = ClusterTableStream.Open(path, null, "label", dropMissing: false, chunkRows: 100);
        Assert.Equal(["x", "y"], s.Columns);
        var chunks = s.Read().ToList();
        Assert.All(chunks, c => Assert.InRange(c.Count, 1, 100));
        Assert.Equal(Enumerable.Repeat(100, 10).Append(3), chunks.Select(c => c.Count));
        Assert.Equal(Enumerable.Range(1, 1003).Select(i => (long)i), chunks.SelectMany(c => c.Rows));
        Assert.Equal(Enumerable.Range(1, 1003).SelectMany(i => new[] { (float)i, (float)(i * 0.5) }), chunks.SelectMany(c => c.Values));
        Assert.Equal(Enumerable.Range(1, 1003).Select(i => $"k{i % 3}"), chunks.SelectMany(c => c.Labels!));
        // Each Read opens the file again: a second pass gives the same chunks.
        Assert.Equal(chunks.SelectMany(c => c.Values), s.Read().SelectMany(c => c.Values));
    }

    [Fact]
    public void The_values_are_the_in_memory_tables_numbers_narrowed_to_float()
    {
        var path = _tmp.Write("v.csv", "a,b\n0.1,1e-3\n3.14159265358979,-2.5E+2\n");
        var table = HpcLearn.Data.TableSource.Load(path);
        var input = ClusterInput.From(table, null, null, false);
        Assert.Equal(input.Data, ClusterTableStream.Open(path, null, null, false, 1).Read().SelectMany(c => c.Values));
    }

    [Fact]
    public void Unknown_columns_and_ragged_rows_are_named()
    {
        var path = _tmp.Write("r.csv", "a,b\n1,2\n3\n");
        Assert.Equal($"{path}: no column 'z'; columns are: a, b", Assert.Throws<UserError>(() => ClusterTableStream.Open(path, ["z"], null, false, 10)).Message);
        Assert.Equal($"{path}: row 2 has 1 fields but the header has 2", Assert.Throws<UserError>(() => ClusterTableStream.Open(path, ["a"], null, false, 10).Read().ToList()).Message);
    }
}
