using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using HpcLearn.Config;
using TorchSharp;
using static TorchSharp.torch;

using HpcLearn.Runs;

namespace HpcLearn.Training;

/// <summary>
/// Checkpoints in one folder: <c>epoch-0007.ckpt</c>, each holding model, optimiser, schedule,
/// RNG state, epoch/step, history and config. Files are written atomically and carry a SHA-256
/// of their payload; the newest <see cref="Keep"/> are kept. A restore takes the newest file
/// whose checksum matches and says which files it skipped and why.
/// </summary>
public sealed class CheckpointStore
{
    private static readonly byte[] Magic = "HPCLCKPT"u8.ToArray();
    private const int FormatVersion = 1;
    internal static JsonSerializerOptions Json => RunJson.Options;

    /// <summary>Creates a store over <paramref name="directory"/> (created on first save).</summary>
    public CheckpointStore(string directory, int keep = 3)
    {
        Folder = directory;
        Keep = keep >= 1 ? keep : throw new ArgumentOutOfRangeException(nameof(keep));
    }

    /// <summary>The folder.</summary>
    public string Folder { get; }

    /// <summary>How many checkpoints are kept.</summary>
    public int Keep { get; }

    /// <summary>Checkpoint files, newest position first (validity not checked).</summary>
    public IReadOnlyList<CheckpointFile> List()
    {
        if (!Directory.Exists(Folder)) return [];
        return Directory.GetFiles(Folder, "epoch-*.ckpt").Select(CheckpointFile.Parse).OfType<CheckpointFile>()
            .OrderByDescending(f => f.Epoch).ThenByDescending(f => f.Batch).ToList();
    }

    /// <summary>The newest checkpoint file by name, or null.</summary>
    public CheckpointFile? Latest() => List() is { Count: > 0 } l ? l[0] : null;

    /// <summary>Writes the learner's state; returns the file path.</summary>
    public string Save(Learner learner, string config)
    {
        var meta = new CheckpointInfo("", learner.Epoch, learner.Step, learner.Plan, learner.History.ToList(), config, DateTime.UtcNow, learner.Progress);
        using var payload = new MemoryStream();
        using (var w = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            WriteBlock(w, JsonSerializer.SerializeToUtf8Bytes(meta, Json));
            using var state = new MemoryStream();
            learner.SaveState(state);
            WriteBlock(w, state.ToArray());
            using var rng = torch.get_rng_state();
            WriteBlock(w, rng.bytes.ToArray());
        }
        byte[] body = payload.ToArray();
        using var file = new MemoryStream();
        using (var w = new BinaryWriter(file, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(FormatVersion);
            w.Write(SHA256.HashData(body));
            w.Write(body);
        }
        string path = Path.Combine(Folder, CheckpointFile.NameFor(learner.Epoch, learner.Progress.Batches));
        AtomicFile.WriteAllBytes(path, file.ToArray());
        foreach (var (_, old) in List().Skip(Keep)) File.Delete(old);
        return path;
    }

    /// <summary>
    /// <c>--resume</c>: restores the newest valid checkpoint, says which on <paramref name="log"/>
    /// (and warns when <paramref name="configYaml"/> differs from the checkpoint's), or throws a
    /// <see cref="UserError"/> when there is none.
    /// </summary>
    /// <exception cref="UserError">
    /// There is no valid checkpoint, or the config's <c>model</c> section differs from the
    /// checkpoint's (a changed architecture cannot take the saved weights).
    /// </exception>
    public CheckpointInfo Resume(Learner learner, string configYaml, TextWriter log)
    {
        var info = RestoreLatest(learner, msg => log.WriteLine("warning: " + msg), configYaml)
            ?? throw RunFolder.NoValidCheckpoint(Folder);
        log.WriteLine($"resuming from {info.Path} (epoch {info.Epoch}, step {info.Step})");
        if (info.Config.Trim() != configYaml.Trim())
            log.WriteLine("warning: the config differs from the one the checkpoint was written with; continuing with the checkpoint's schedule");
        return info;
    }

    /// <summary>
    /// Restores the newest valid checkpoint into <paramref name="learner"/>. Each file skipped
    /// (truncated, corrupted, unreadable) is reported through <paramref name="warn"/>.
    /// Returns null when there is no valid checkpoint.
    /// </summary>
    /// <param name="learner">The learner to restore into.</param>
    /// <param name="warn">Told about each file skipped.</param>
    /// <param name="configYaml">
    /// The resolved config of this run: when given, a <c>model</c> section that differs from the
    /// checkpoint's is refused by key before any weight is loaded.
    /// </param>
    /// <exception cref="UserError">The model this config builds does not fit the checkpoint's weights.</exception>
    public CheckpointInfo? RestoreLatest(Learner learner, Action<string> warn, string? configYaml = null)
    {
        foreach (var (_, path) in List())
        {
            if (!TryRead(path, out var meta, out var state, out var rng, out string? why))
            {
                warn($"checkpoint {path} is {why}; skipping it");
                continue;
            }
            if (configYaml is not null) CheckSameModel(path, meta!.Config, configYaml);
            try
            {
                using var s = new MemoryStream(state!);
                learner.LoadState(s);
            }
            catch (ArgumentException e)
            {
                // Same model section, other shapes: the data changed (columns, classes, vocabulary).
                throw new UserError($"--resume: the weights in {path} do not fit the model this run builds ({e.Message.Split('\n')[0]}); " +
                    "a model's shape follows model.* and the data's columns and classes: resume with the config and data the run started with, or start a new run without --resume", e);
            }
            using (var r = torch.tensor(rng!, dtype: ScalarType.Byte)) torch.set_rng_state(r);
            learner.Epoch = meta!.Epoch;
            learner.Step = meta.Step;
            learner.Plan = meta.Plan;
            learner.Progress = meta.Progress ?? EpochProgress.None;
            learner.RestoreHistory(meta.History);
            return meta with { Path = path };
        }
        return null;
    }

    // A changed architecture cannot take the saved weights: say which key changed, not libtorch's shape error.
    private static void CheckSameModel(string path, string saved, string current)
    {
        var changed = ConfigDiff.Compare(saved, current).Where(d => ConfigDiff.IsIn(d.Key, "model")).ToList();
        if (changed.Count == 0) return;
        throw new UserError($"--resume: the checkpoint {path} was written for another model: {ConfigDiff.Describe(changed)} (checkpoint vs config); " +
            "resume without changing model.* (drop that --set or restore the config file), or start a new run with another name");
    }

    /// <summary>Reads and verifies a checkpoint file without applying it.</summary>
    public static bool TryRead(string path, out CheckpointInfo? meta, out byte[]? state, out byte[]? rng, out string? why)
    {
        meta = null; state = null; rng = null; why = null;
        byte[] all;
        try { all = File.ReadAllBytes(path); }
        catch (IOException e) { why = "unreadable (" + e.Message + ")"; return false; }
        const int header = 8 + 4 + 32;
        if (all.Length < header || !all.AsSpan(0, 8).SequenceEqual(Magic)) { why = "not an HpcLearn checkpoint or truncated"; return false; }
        if (BitConverter.ToInt32(all, 8) != FormatVersion) { why = "from an unsupported format version"; return false; }
        var body = all.AsSpan(header);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(all.AsSpan(12, 32))) { why = "corrupted or truncated (checksum mismatch)"; return false; }
        using var r = new BinaryReader(new MemoryStream(all, header, all.Length - header));
        meta = JsonSerializer.Deserialize<CheckpointInfo>(ReadBlock(r), Json);
        state = ReadBlock(r);
        rng = ReadBlock(r);
        return meta is not null;
    }

    private static void WriteBlock(BinaryWriter w, byte[] block)
    {
        w.Write((long)block.Length);
        w.Write(block);
    }

    private static byte[] ReadBlock(BinaryReader r) => r.ReadBytes((int)r.ReadInt64());
}
