using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace HpcLearn.Runs;

/// <summary>
/// The one checkpoint file format every task writes, through a <see cref="CheckpointFolder"/>:
/// <code>
/// magic     8 ASCII bytes starting HPCL, one per layout (HPCLCKPT the Learner's, HPCLTEXT, HPCLPINN, HPCLGAME)
/// version   int32, little-endian: <see cref="Version"/>
/// sha256    32 bytes: SHA-256 of the body
/// body      blocks to the end of the file, each: name (length-prefixed UTF-8), int64 length, bytes
/// </code>
/// A file is valid when its magic, version and checksum hold and its blocks fill the body exactly.
/// A file of a newer format version is refused (<see cref="UserError"/>) rather than skipped: falling
/// back past it would drop that run's progress and, with keep-K, in time delete the file.
/// </summary>
public static class CheckpointContainer
{
    /// <summary>The format version this build writes and reads.</summary>
    /// <remarks>1: the Learner's blocks without names (HPCLCKPT only; other layouts had no version). 2: named blocks, all layouts.</remarks>
    public const int Version = 2;

    /// <summary>Bytes before the body: magic, version, SHA-256.</summary>
    public const int HeaderLength = 8 + 4 + 32;

    // The four bytes after the magic were the checksum's first in the unversioned layouts of
    // before version 2; such a file reads as "older", not as from a future version.
    private const int LastPlausibleVersion = 1000;

    /// <summary>The bytes of a checkpoint file holding <paramref name="blocks"/>.</summary>
    public static byte[] Encode(string magic, CheckpointBlocks blocks)
    {
        var magicBytes = MagicBytes(magic);
        ArgumentNullException.ThrowIfNull(blocks);
        using var body = new MemoryStream();
        using (var w = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
            foreach (var (name, bytes) in blocks.All)
            {
                w.Write(name);
                w.Write((long)bytes.Length);
                w.Write(bytes);
            }
        var file = new byte[HeaderLength + body.Length];
        magicBytes.CopyTo(file, 0);
        BitConverter.TryWriteBytes(file.AsSpan(8, 4), Version);
        SHA256.HashData(body.GetBuffer().AsSpan(0, (int)body.Length)).CopyTo(file, 12);
        body.GetBuffer().AsSpan(0, (int)body.Length).CopyTo(file.AsSpan(HeaderLength));
        return file;
    }

    /// <summary>
    /// Reads and verifies the checkpoint at <paramref name="path"/>: its blocks, or false and what is
    /// wrong (<c>unreadable (...)</c>, <c>corrupted or truncated (checksum mismatch)</c>, ...), worded
    /// to follow "checkpoint PATH is".
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="magic">The layout expected, or null for any HpcLearn checkpoint.</param>
    /// <param name="blocks">The blocks when valid.</param>
    /// <param name="problem">What is wrong when not.</param>
    /// <exception cref="UserError">The file is of a newer format version than this build reads.</exception>
    public static bool TryRead(string path, string? magic, [NotNullWhen(true)] out CheckpointBlocks? blocks, [NotNullWhen(false)] out string? problem)
    {
        byte[] file;
        try { file = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            blocks = null;
            problem = $"unreadable ({e.Message})";
            return false;
        }
        return TryDecode(file, path, magic, out blocks, out problem);
    }

    /// <summary>Verifies and splits the bytes of a checkpoint file read from <paramref name="path"/>; see <see cref="TryRead"/>.</summary>
    /// <exception cref="UserError">The file is of a newer format version than this build reads.</exception>
    public static bool TryDecode(byte[] file, string path, string? magic, [NotNullWhen(true)] out CheckpointBlocks? blocks, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(file);
        blocks = null;
        problem = Check(file, path, magic);
        if (problem is not null) return false;
        blocks = Split(file);
        if (blocks is null) problem = "malformed (its blocks do not fill the body)";
        return blocks is not null;
    }

    private static string? Check(byte[] file, string path, string? magic)
    {
        if (file.Length < 12 || !file.AsSpan(0, 4).SequenceEqual("HPCL"u8)) return "not an HpcLearn checkpoint or truncated";
        string actual = Encoding.ASCII.GetString(file, 0, 8);
        if (magic is not null && !file.AsSpan(0, 8).SequenceEqual(MagicBytes(magic)))
            return $"a checkpoint of another kind ({actual}, not {magic})";
        int version = BitConverter.ToInt32(file, 8);
        if (version > Version && version <= LastPlausibleVersion)
            throw new UserError($"checkpoint {path} was written by a newer HpcLearn (checkpoint format version {version}; this one reads version {Version}): " +
                                "resume it with that HpcLearn, or start a new run with another name (--set name=...)");
        if (version != Version) return $"from an older checkpoint format (this HpcLearn reads version {Version})";
        if (file.Length < HeaderLength) return "truncated (shorter than the checkpoint header)";
        return SHA256.HashData(file.AsSpan(HeaderLength)).AsSpan().SequenceEqual(file.AsSpan(12, 32))
            ? null : "corrupted or truncated (checksum mismatch)";
    }

    // Null when the blocks do not fill the body exactly: only a writer's bug gets past the checksum so.
    private static CheckpointBlocks? Split(byte[] file)
    {
        var blocks = new CheckpointBlocks();
        using var r = new BinaryReader(new MemoryStream(file, HeaderLength, file.Length - HeaderLength), Encoding.UTF8);
        try
        {
            while (r.BaseStream.Position < r.BaseStream.Length)
            {
                string name = r.ReadString();
                long length = r.ReadInt64();
                if (length < 0 || length > r.BaseStream.Length - r.BaseStream.Position || name.Length == 0 || blocks.Contains(name)) return null;
                blocks.Add(name, r.ReadBytes((int)length));
            }
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException)
        {
            return null;
        }
        return blocks;
    }

    internal static byte[] MagicBytes(string magic)
    {
        ArgumentNullException.ThrowIfNull(magic);
        if (magic.Length != 8 || !magic.StartsWith("HPCL", StringComparison.Ordinal) || magic.Any(c => c > 127))
            throw new ArgumentException("a checkpoint magic is 8 ASCII characters starting HPCL", nameof(magic));
        return Encoding.ASCII.GetBytes(magic);
    }
}
