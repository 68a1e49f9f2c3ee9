using System.Security.Cryptography;

namespace HpcLearn.Runs;

/// <summary>
/// Checkpoints of a loop counted in steps rather than epochs (the text task's steps, a PINN's
/// optimiser iterations): <c>checkpoints/PREFIX-000500.ckpt</c>, each an 8-byte magic that names
/// its task, the SHA-256 of the body, then the body: length-prefixed blocks the caller defines.
/// Written atomically like the <see cref="HpcLearn.Training.CheckpointStore"/>'s, the newest <see cref="Keep"/> kept;
/// a file whose checksum does not match (a writer killed half-way, a disk fault) is skipped with a
/// warning and the one before it is used.
/// </summary>
public sealed class StepCheckpoints
{
    private const int Header = 8 + 32;
    private readonly byte[] _magic;

    /// <summary>Creates the store.</summary>
    /// <param name="folder">The run folder's checkpoint folder.</param>
    /// <param name="prefix">File names start with this (e.g. <c>step</c>).</param>
    /// <param name="magic">Eight ASCII characters that open every file (e.g. <c>HPCLTEXT</c>).</param>
    /// <param name="keep">How many of the newest files to keep.</param>
    public StepCheckpoints(string folder, string prefix, string magic, int keep)
    {
        if (magic.Length != 8 || magic.Any(c => c > 127)) throw new ArgumentException("the magic must be 8 ASCII characters", nameof(magic));
        Folder = folder;
        Prefix = prefix;
        _magic = System.Text.Encoding.ASCII.GetBytes(magic);
        Keep = keep >= 1 ? keep : throw new ArgumentOutOfRangeException(nameof(keep), keep, "keep at least one checkpoint");
    }

    /// <summary>The folder.</summary>
    public string Folder { get; }

    /// <summary>The file-name prefix.</summary>
    public string Prefix { get; }

    /// <summary>How many are kept.</summary>
    public int Keep { get; }

    /// <summary>Checkpoint files, newest first (the step is zero-padded, so names sort by step).</summary>
    public IReadOnlyList<string> List() => Directory.Exists(Folder)
        ? Directory.GetFiles(Folder, $"{Prefix}-*.ckpt").OrderByDescending(p => p, StringComparer.Ordinal).ToList()
        : [];

    /// <summary>Writes the blocks as the checkpoint of <paramref name="step"/>, drops the oldest beyond <see cref="Keep"/>; returns the path.</summary>
    public string Save(long step, params byte[][] blocks)
    {
        using var body = new MemoryStream();
        using (var w = new BinaryWriter(body, System.Text.Encoding.UTF8, leaveOpen: true))
            foreach (var block in blocks)
            {
                w.Write((long)block.Length);
                w.Write(block);
            }
        byte[] payload = body.ToArray();
        var file = new byte[Header + payload.Length];
        _magic.CopyTo(file, 0);
        SHA256.HashData(payload).CopyTo(file, 8);
        payload.CopyTo(file, Header);
        Directory.CreateDirectory(Folder);
        string path = Path.Combine(Folder, $"{Prefix}-{step:D6}.ckpt");
        AtomicFile.WriteAllBytes(path, file);
        foreach (var old in List().Skip(Keep)) File.Delete(old);
        return path;
    }

    /// <summary>
    /// The blocks of the newest checkpoint whose checksum matches, or null when there is none;
    /// each file skipped is named through <paramref name="warn"/>.
    /// </summary>
    public (string Path, IReadOnlyList<byte[]> Blocks)? Latest(Action<string> warn)
    {
        ArgumentNullException.ThrowIfNull(warn);
        foreach (var path in List())
        {
            byte[] all;
            try { all = File.ReadAllBytes(path); }
            catch (IOException e) { warn($"checkpoint {path} is unreadable ({e.Message}); skipping it"); continue; }
            if (all.Length < Header || !all.AsSpan(0, 8).SequenceEqual(_magic) || !SHA256.HashData(all.AsSpan(Header)).AsSpan().SequenceEqual(all.AsSpan(8, 32)))
            {
                warn($"checkpoint {path} is corrupted or truncated (checksum mismatch); skipping it");
                continue;
            }
            var blocks = new List<byte[]>();
            using var r = new BinaryReader(new MemoryStream(all, Header, all.Length - Header));
            while (r.BaseStream.Position < r.BaseStream.Length) blocks.Add(r.ReadBytes((int)r.ReadInt64()));
            return (path, blocks);
        }
        return null;
    }
}
