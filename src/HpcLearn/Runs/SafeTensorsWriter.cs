using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;

namespace HpcLearn.Runs;

/// <summary>
/// Writes plain float32 arrays as a safetensors file (an 8-byte little-endian header length, a JSON
/// header of dtype, shape and data offsets padded to 8 bytes, then the raw data), which PyTorch's
/// <c>safetensors</c> and <see cref="SafeTensorsFile"/> read.
/// </summary>
public static class SafeTensorsWriter
{
    /// <summary>The file's bytes for <paramref name="tensors"/>, in their order.</summary>
    public static byte[] Bytes(IReadOnlyList<NamedTensor> tensors)
    {
        var header = new JsonObject();
        long offset = 0;
        foreach (var t in tensors)
        {
            if (t.Shape.Aggregate(1L, (a, b) => a * b) != t.Data.Length)
                throw new ArgumentException($"tensor '{t.Name}': shape [{string.Join(", ", t.Shape)}] does not hold {t.Data.Length} values", nameof(tensors));
            header[t.Name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(t.Shape.Select(s => (JsonNode)s).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + 4L * t.Data.Length),
            };
            offset += 4L * t.Data.Length;
        }
        var text = header.ToJsonString();
        while ((text.Length + 8) % 8 != 0) text += " ";
        var head = Encoding.UTF8.GetBytes(text);
        using var ms = new MemoryStream();
        ms.Write(BitConverter.GetBytes((ulong)head.Length));
        ms.Write(head);
        foreach (var t in tensors) ms.Write(MemoryMarshal.AsBytes(t.Data.AsSpan()));
        return ms.ToArray();
    }
}
