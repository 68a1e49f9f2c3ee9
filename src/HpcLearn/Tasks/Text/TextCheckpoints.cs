using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HpcLearn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Text;

/// <summary>
/// The text task's checkpoints: <c>checkpoints/step-000500.ckpt</c>, each holding the step, the
/// evaluation history, the config, model and optimiser state and libtorch's RNG state (dropout),
/// checksummed and written atomically like the <see cref="CheckpointStore"/>'s; the newest
/// <see cref="Keep"/> are kept. Batches depend on (seed, step) only, so a resumed run draws
/// the same blocks the uninterrupted one would have.
/// </summary>
public sealed class TextCheckpoints(string folder, int keep)
{
    private static readonly byte[] Magic = "HPCLTEXT"u8.ToArray();

    /// <summary>The folder.</summary>
    public string Folder { get; } = folder;

    /// <summary>How many are kept.</summary>
    public int Keep { get; } = keep >= 1 ? keep : throw new ArgumentOutOfRangeException(nameof(keep));

    private sealed record Meta(long Step, List<TextEvalRecord> History, string Config);

    /// <summary>Checkpoint files, newest first.</summary>
    public IReadOnlyList<string> List() => Directory.Exists(Folder)
        ? Directory.GetFiles(Folder, "step-*.ckpt").OrderByDescending(p => p, StringComparer.Ordinal).ToList()
        : [];

    /// <summary>Writes the trainer's state; returns the path.</summary>
    public string Save(TextTrainer trainer, string config)
    {
        using var body = new MemoryStream();
        using (var w = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            Block(w, JsonSerializer.SerializeToUtf8Bytes(new Meta(trainer.Step, trainer.History, config), ModelArtifact.JsonOptions));
            using var state = new MemoryStream();
            using (var sw = new BinaryWriter(state, Encoding.UTF8, leaveOpen: true)) trainer.SaveState(sw);
            Block(w, state.ToArray());
            using var rng = torch.get_rng_state();
            Block(w, rng.bytes.ToArray());
        }
        byte[] payload = body.ToArray();
        using var file = new MemoryStream();
        file.Write(Magic);
        file.Write(SHA256.HashData(payload));
        file.Write(payload);
        Directory.CreateDirectory(Folder);
        string path = Path.Combine(Folder, $"step-{trainer.Step:D6}.ckpt");
        AtomicFile.WriteAllBytes(path, file.ToArray());
        foreach (var old in List().Skip(Keep)) File.Delete(old);
        return path;
    }

    /// <summary>
    /// Restores the newest checkpoint whose checksum matches into <paramref name="trainer"/>;
    /// each file skipped is named through <paramref name="warn"/>. Returns its path and config, or null.
    /// </summary>
    public (string Path, string Config)? RestoreLatest(TextTrainer trainer, Action<string> warn)
    {
        foreach (var path in List())
        {
            byte[] all = File.ReadAllBytes(path);
            if (all.Length < 40 || !all.AsSpan(0, 8).SequenceEqual(Magic) || !SHA256.HashData(all.AsSpan(40)).AsSpan().SequenceEqual(all.AsSpan(8, 32)))
            {
                warn($"checkpoint {path} is corrupted or truncated (checksum mismatch); skipping it");
                continue;
            }
            using var r = new BinaryReader(new MemoryStream(all, 40, all.Length - 40));
            var meta = JsonSerializer.Deserialize<Meta>(ReadBlock(r), ModelArtifact.JsonOptions)!;
            using (var state = new BinaryReader(new MemoryStream(ReadBlock(r)))) trainer.LoadState(state);
            using (var rng = torch.tensor(ReadBlock(r), dtype: ScalarType.Byte)) torch.set_rng_state(rng);
            trainer.Step = meta.Step;
            trainer.History.Clear();
            trainer.History.AddRange(meta.History);
            return (path, meta.Config);
        }
        return null;
    }

    private static void Block(BinaryWriter w, byte[] block)
    {
        w.Write((long)block.Length);
        w.Write(block);
    }

    private static byte[] ReadBlock(BinaryReader r) => r.ReadBytes((int)r.ReadInt64());
}
