using System.Buffers.Binary;
using System.IO.Compression;

namespace HpcLearn.Data.Images;

/// <summary>
/// The IDX format of MNIST and Fashion-MNIST (gzip-compressed or not): a magic number whose
/// third byte is the element type (0x08, unsigned byte, is the one these data sets use) and
/// fourth the number of dimensions, the dimensions as big-endian int32, then the elements.
/// </summary>
public static class IdxFile
{
    /// <summary>The largest IDX file read, compressed or not: 1 GiB (MNIST-style sets are under 100 MiB).</summary>
    public const long MaxBytes = 1L << 30;

    /// <summary>Reads an unsigned-byte IDX file; errors name the file and what is wrong.</summary>
    /// <returns>The dimensions and the elements in row-major order.</returns>
    public static (int[] Shape, byte[] Data) Read(string path) => Read(path, MaxBytes);

    /// <summary>As <see cref="Read(string)"/> with another bound (tests).</summary>
    internal static (int[] Shape, byte[] Data) Read(string path, long maxBytes)
    {
        if (!File.Exists(path)) throw new UserError($"{path}: no such IDX file");
        if (new FileInfo(path).Length > maxBytes)
            throw new UserError($"{path}: {new FileInfo(path).Length >> 20} MiB is more than the {maxBytes >> 20} MiB an IDX file may hold here");
        byte[] raw = File.ReadAllBytes(path);
        if (raw.Length >= 2 && raw[0] == 0x1f && raw[1] == 0x8b)
        {
            try
            {
                using var gz = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
                using var plain = new MemoryStream();
                // Copied in pieces with a bound: a small gzip bomb must not fill the memory.
                var buffer = new byte[1 << 20];
                for (int n; (n = gz.Read(buffer)) > 0;)
                {
                    if (plain.Length + n > maxBytes)
                        throw new UserError($"{path}: decompresses to more than {maxBytes >> 20} MiB, more than an IDX data set holds here (Fashion-MNIST's training images are 45 MiB); the file is damaged or not this data");
                    plain.Write(buffer, 0, n);
                }
                raw = plain.ToArray();
            }
            catch (InvalidDataException e)
            {
                throw new UserError($"{path}: corrupt gzip data ({e.Message}); download the file again");
            }
        }
        return Parse(raw, path);
    }

    /// <summary>Parses the bytes of an (uncompressed) IDX file; <paramref name="name"/> is used in errors.</summary>
    public static (int[] Shape, byte[] Data) Parse(byte[] raw, string name)
    {
        if (raw.Length < 4 || raw[0] != 0 || raw[1] != 0)
            throw new UserError($"{name}: not an IDX file (it must start with two zero bytes, the element type and the number of dimensions)");
        if (raw[2] != 0x08)
            throw new UserError($"{name}: IDX element type 0x{raw[2]:x2} is not supported; only unsigned bytes (0x08), as in MNIST and Fashion-MNIST");
        int dims = raw[3];
        if (dims < 1 || raw.Length < 4 + 4 * dims) throw new UserError($"{name}: truncated IDX header ({dims} dimensions declared)");
        var shape = new int[dims];
        long count = 1;
        for (int i = 0; i < dims; i++)
        {
            shape[i] = BinaryPrimitives.ReadInt32BigEndian(raw.AsSpan(4 + 4 * i));
            if (shape[i] < 0) throw new UserError($"{name}: negative IDX dimension {shape[i]}");
            count *= shape[i];
        }
        int offset = 4 + 4 * dims;
        if (raw.Length - offset != count)
            throw new UserError($"{name}: the header declares {string.Join(" x ", shape)} = {count} bytes of data but the file holds {raw.Length - offset}; the file is truncated or not this data");
        return (shape, raw.AsSpan(offset).ToArray());
    }

    /// <summary>Writes an uncompressed unsigned-byte IDX file (tests and exports).</summary>
    public static void Write(string path, int[] shape, byte[] data)
    {
        using var f = File.Create(path);
        f.Write([0, 0, 0x08, (byte)shape.Length]);
        Span<byte> dim = stackalloc byte[4];
        foreach (int d in shape)
        {
            BinaryPrimitives.WriteInt32BigEndian(dim, d);
            f.Write(dim);
        }
        f.Write(data);
    }
}
