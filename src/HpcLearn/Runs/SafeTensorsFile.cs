using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Runs;

/// <summary>
/// Reads a safetensors file (8-byte little-endian header length, a JSON header, then the raw
/// tensor bytes) and checks everything the header claims against the file before a byte of
/// weights is read: the header length against the file size and <see cref="MaxHeaderBytes"/>
/// (so a forged length cannot make it allocate gigabytes), the header's JSON, each tensor's dtype,
/// shape and <c>data_offsets</c> (non-negative, inside the data section, the size the shape and
/// dtype call for, no two tensors overlapping). Every problem is a <see cref="UserError"/> naming
/// the file and the tensor. The one reader of weights for every task (see
/// <see cref="ModelArtifact.LoadWeights"/>); writing stays with TorchSharp.PyBridge, whose files
/// PyTorch's <c>safetensors</c> package reads.
/// </summary>
public sealed class SafeTensorsFile
{
    /// <summary>The largest header read: 100 MB, far above the few kilobytes a model's header takes.</summary>
    public const long MaxHeaderBytes = 100L * 1024 * 1024;

    private const string Damaged = "the file is damaged or not a safetensors file";

    private static readonly Dictionary<string, int> DTypeSizes = new()
    {
        ["BOOL"] = 1, ["U8"] = 1, ["I8"] = 1, ["F8_E4M3"] = 1, ["F8_E5M2"] = 1,
        ["U16"] = 2, ["I16"] = 2, ["F16"] = 2, ["BF16"] = 2,
        ["U32"] = 4, ["I32"] = 4, ["F32"] = 4,
        ["U64"] = 8, ["I64"] = 8, ["F64"] = 8,
    };

    private SafeTensorsFile(string path, long dataStart, long dataLength, IReadOnlyDictionary<string, SafeTensorsEntry> tensors)
    {
        Path = path; DataStart = dataStart; DataLength = dataLength; Tensors = tensors;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Where the data section starts: 8 + the header length.</summary>
    public long DataStart { get; }

    /// <summary>Bytes in the data section.</summary>
    public long DataLength { get; }

    /// <summary>The tensors by name, in header order.</summary>
    public IReadOnlyDictionary<string, SafeTensorsEntry> Tensors { get; }

    /// <summary>Reads and checks the header of <paramref name="path"/>; a <see cref="UserError"/> on any problem.</summary>
    public static SafeTensorsFile Open(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
            return Open(stream, path);
        }
        catch (FileNotFoundException) { throw new UserError($"{path}: not found; the model folder is incomplete"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"{path}: cannot be read ({e.Message})", e);
        }
    }

    private static SafeTensorsFile Open(Stream stream, string path)
    {
        long size = stream.Length;
        if (size < 8) throw new UserError($"{path}: {size} bytes, too short for a safetensors header; {Damaged}");
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        ulong declared = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        // Checked before allocating: the length is whatever the file says, and may be forged.
        if (declared > (ulong)(size - 8))
            throw new UserError(Invariant($"{path}: the header length {declared} is larger than the file ({size} bytes); {Damaged}"));
        if (declared > MaxHeaderBytes)
            throw new UserError(Invariant($"{path}: the header length {declared} is over the {MaxHeaderBytes / (1024 * 1024)} MB limit for a safetensors header; {Damaged}"));
        if (declared < 2) throw new UserError($"{path}: the header is empty; {Damaged}");
        var header = new byte[declared];
        stream.ReadExactly(header);
        long dataStart = 8 + (long)declared, dataLength = size - dataStart;
        var tensors = ParseHeader(header, path, dataLength);
        CheckNoOverlap(tensors.Values, path);
        return new SafeTensorsFile(path, dataStart, dataLength, tensors);
    }

    private static Dictionary<string, SafeTensorsEntry> ParseHeader(byte[] header, string path, long dataLength)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 8 }); }
        catch (JsonException e) { throw new UserError($"{path}: the header is not valid JSON ({e.Message.Split('.')[0]}); {Damaged}", e); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new UserError($"{path}: the header is a JSON {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object; {Damaged}");
            var tensors = new Dictionary<string, SafeTensorsEntry>(StringComparer.Ordinal);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Name == "__metadata__") continue;
                if (tensors.ContainsKey(p.Name)) throw new UserError($"{path}: tensor '{p.Name}' is listed twice; {Damaged}");
                tensors[p.Name] = Entry(p.Name, p.Value, path, dataLength);
            }
            return tensors;
        }
    }

    private static SafeTensorsEntry Entry(string name, JsonElement e, string path, long dataLength)
    {
        string at = $"{path}: tensor '{name}'";
        if (e.ValueKind != JsonValueKind.Object) throw new UserError($"{at} is not described by a JSON object; {Damaged}");
        if (!e.TryGetProperty("dtype", out var d) || d.ValueKind != JsonValueKind.String)
            throw new UserError($"{at} has no dtype; {Damaged}");
        string dtype = d.GetString()!;
        if (!DTypeSizes.TryGetValue(dtype, out int itemSize))
            throw new UserError($"{at} has dtype '{dtype}', which is not a safetensors dtype ({string.Join(", ", DTypeSizes.Keys)}); {Damaged}");
        var shape = Integers(e, "shape", at);
        var offsets = Integers(e, "data_offsets", at);
        string offsetText = "[" + string.Join(",", offsets) + "]";
        if (offsets.Length != 2) throw new UserError($"{at} has data_offsets {offsetText}; it needs two numbers [begin,end]; {Damaged}");
        if (offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
            throw new UserError(Invariant($"{at} data_offsets {offsetText} lie outside the data section (0 to {dataLength} bytes) or end before they begin; {Damaged}"));
        long bytes = itemSize;
        foreach (long s in shape)
        {
            if (s < 0) throw new UserError($"{at} has a negative size in its shape [{string.Join(",", shape)}]; {Damaged}");
            // Anything larger than the data section is already wrong; stopping there also avoids overflow.
            bytes = s == 0 ? 0 : bytes > dataLength / s ? dataLength + 1 : bytes * s;
            if (bytes == 0) break;
        }
        if (bytes != offsets[1] - offsets[0])
            throw new UserError(Invariant($"{at} is {dtype} [{string.Join(",", shape)}], which takes {(bytes > dataLength ? "more than the data section's " + dataLength.ToString(CultureInfo.InvariantCulture) : bytes.ToString(CultureInfo.InvariantCulture))} bytes, but its data_offsets {offsetText} hold {offsets[1] - offsets[0]}; {Damaged}"));
        return new SafeTensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] Integers(JsonElement e, string key, string at)
    {
        if (!e.TryGetProperty(key, out var a) || a.ValueKind != JsonValueKind.Array)
            throw new UserError($"{at} has no {key} list; {Damaged}");
        var values = new long[a.GetArrayLength()];
        int i = 0;
        foreach (var v in a.EnumerateArray())
        {
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out values[i++]))
                throw new UserError($"{at} has {key} {a.GetRawText()}, which are not all whole numbers; {Damaged}");
        }
        return values;
    }

    private static void CheckNoOverlap(IEnumerable<SafeTensorsEntry> tensors, string path)
    {
        SafeTensorsEntry? previous = null;
        foreach (var t in tensors.Where(t => t.End > t.Begin).OrderBy(t => t.Begin).ThenBy(t => t.End))
        {
            if (previous is not null && t.Begin < previous.End)
                throw new UserError($"{path}: tensors '{previous.Name}' [{previous.Begin},{previous.End}] and '{t.Name}' [{t.Begin},{t.End}] overlap in the data section; {Damaged}");
            if (previous is null || t.End > previous.End) previous = t;
        }
    }

    /// <summary>The safetensors name of a TorchSharp dtype (e.g. F32 for Float32).</summary>
    public static string DTypeName(ScalarType type) => type switch
    {
        ScalarType.Float64 => "F64", ScalarType.Float32 => "F32", ScalarType.Float16 => "F16", ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64", ScalarType.Int32 => "I32", ScalarType.Int16 => "I16", ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8", ScalarType.Bool => "BOOL",
        _ => type.ToString(),
    };

    /// <summary>
    /// Copies the tensors into <paramref name="model"/>'s parameters and buffers. The file must
    /// hold exactly the model's state-dict keys, each with the model's dtype and shape; otherwise a
    /// <see cref="UserError"/> says the weights do not match the architecture (nothing is copied).
    /// </summary>
    public void LoadInto(nn.Module model)
    {
        var state = model.state_dict();
        var missing = state.Keys.Where(k => !Tensors.ContainsKey(k)).ToList();
        var unexpected = Tensors.Keys.Where(k => !state.ContainsKey(k)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0) parts.Add($"missing {Names(missing)}");
            if (unexpected.Count > 0) parts.Add($"not in the model {Names(unexpected)}");
            throw Mismatch(string.Join("; ", parts));
        }
        foreach (var (name, target) in state)
        {
            var entry = Tensors[name];
            string dtype = DTypeName(target.dtype);
            if (entry.DType != dtype || !entry.Shape.SequenceEqual(target.shape))
                throw Mismatch($"tensor '{name}' is {entry.DType} {entry.ShapeText}, the model's is {dtype} [{string.Join(",", target.shape)}]");
        }
        try
        {
            using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length != DataStart + DataLength) throw new UserError($"{Path}: the file changed while it was read");
            foreach (var (name, target) in state)
            {
                stream.Position = DataStart + Tensors[name].Begin;
                target.ReadBytesFromStream(stream);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"{Path}: cannot be read ({e.Message})", e);
        }
    }

    private UserError Mismatch(string what) => new($"{Path}: weights do not match the architecture in {ModelArtifact.ManifestFile} ({what})");

    private static string Names(List<string> names) =>
        string.Join(", ", names.Take(5).Select(n => $"'{n}'")) + (names.Count > 5 ? $" and {names.Count - 5} more" : "");

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
