using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using HpcLearn.Runs;
using HpcLearn.Training;
using HpcLearn.Training.Optimizers;

namespace HpcLearn.Tasks.Games;

/// <summary>
/// A games run's checkpoint after an iteration (<c>checkpoints/iter-0007.ckpt</c>): the new and
/// the best network, the optimiser, the replay buffer and the history, with the game and network
/// shape in plain JSON so a resume with a different config is refused before anything loads.
/// Same file discipline as <see cref="CheckpointStore"/>: magic, SHA-256 of the body, written
/// atomically, the newest K kept, unreadable files skipped with a warning.
/// </summary>
public static class GamesCheckpoint
{
    private static readonly byte[] Magic = "HPCLGAME"u8.ToArray();

    /// <summary>The JSON part.</summary>
    public sealed record Meta
    {
        /// <summary>Iterations done.</summary>
        [JsonPropertyName("iteration")] public int Iteration { get; init; }
        /// <summary>The game.</summary>
        [JsonPropertyName("game")] public string Game { get; init; } = "";
        /// <summary>The network shape.</summary>
        [JsonPropertyName("model")] public GameNetOptions Model { get; init; } = new();
        /// <summary>Promotions so far.</summary>
        [JsonPropertyName("generation")] public int Generation { get; init; }
        /// <summary>The iterations so far.</summary>
        [JsonPropertyName("history")] public List<IterationRecord> History { get; init; } = new();
        /// <summary>The run's config.</summary>
        [JsonPropertyName("config")] public string Config { get; init; } = "";
    }

    /// <summary>The checkpoint files of <paramref name="folder"/>, newest first.</summary>
    public static IReadOnlyList<string> List(string folder) => !Directory.Exists(folder) ? []
        : Directory.GetFiles(folder, "iter-*.ckpt").OrderByDescending(f => f, StringComparer.Ordinal).ToList();

    /// <summary>Writes a checkpoint and removes all but the newest <paramref name="keep"/>.</summary>
    public static string Save(string folder, int keep, Meta meta, PolicyValueNet candidate, PolicyValueNet best, Optimizer optimizer, ReplayBuffer buffer)
    {
        using var body = new MemoryStream();
        using (var w = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            byte[] json = JsonSerializer.SerializeToUtf8Bytes(meta, ModelArtifact.JsonOptions);
            w.Write(json.Length); w.Write(json);
            candidate.save(w);
            best.save(w);
            optimizer.Save(w);
            buffer.Save(w);
        }
        byte[] payload = body.ToArray();
        using var file = new MemoryStream();
        file.Write(Magic);
        file.Write(SHA256.HashData(payload));
        file.Write(payload);
        string path = Path.Combine(folder, $"iter-{meta.Iteration:D4}.ckpt");
        AtomicFile.WriteAllBytes(path, file.ToArray());
        foreach (var old in List(folder).Skip(keep)) File.Delete(old);
        return path;
    }

    /// <summary>Reads the JSON part and the verified body of the newest valid checkpoint, or null.</summary>
    public static (string Path, Meta Meta, byte[] Body, int Offset)? Latest(string folder, Action<string> warn)
    {
        foreach (var path in List(folder))
        {
            byte[] all = File.ReadAllBytes(path);
            if (all.Length < 40 + 4 || !all.AsSpan(0, 8).SequenceEqual(Magic)) { warn($"checkpoint {path} is not a games checkpoint or truncated; skipping it"); continue; }
            if (!SHA256.HashData(all.AsSpan(40)).AsSpan().SequenceEqual(all.AsSpan(8, 32))) { warn($"checkpoint {path} is corrupted or truncated (checksum mismatch); skipping it"); continue; }
            int len = BitConverter.ToInt32(all, 40);
            var meta = JsonSerializer.Deserialize<Meta>(all.AsSpan(44, len), ModelArtifact.JsonOptions)!;
            return (path, meta, all, 44 + len);
        }
        return null;
    }

    /// <summary>Loads the tensors and buffer that follow the JSON part (shapes already checked).</summary>
    public static void Restore(byte[] body, int offset, PolicyValueNet candidate, PolicyValueNet best, Optimizer optimizer, ReplayBuffer buffer)
    {
        using var r = new BinaryReader(new MemoryStream(body, offset, body.Length - offset));
        candidate.load(r);
        best.load(r);
        optimizer.Load(r);
        buffer.Load(r);
    }
}
