using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using HpcLearn.Runs;
using HpcLearn.Training.Optimizers;

namespace HpcLearn.Tasks.Games;

/// <summary>
/// A games run's checkpoint after an iteration (<c>checkpoints/iter-0007.ckpt</c>): a
/// <see cref="CheckpointContainer"/> file with magic <c>HPCLGAME</c> and the blocks <c>meta</c>
/// (iteration, game, network shape, generation, history and config as JSON, so a resume with a
/// different config is refused before anything loads), <c>candidate</c> and <c>best</c> (the new
/// and the best network), <c>optimizer</c> and <c>buffer</c> (the replay buffer). The newest K are
/// kept; a damaged newest file falls back to the one before it with a warning.
/// </summary>
public static class GamesCheckpoint
{
    private const string Magic = "HPCLGAME";

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
    public static IReadOnlyList<string> List(string folder) => Files(folder, keep: 1).List();

    /// <summary>Writes a checkpoint and removes all but the newest <paramref name="keep"/>.</summary>
    public static string Save(string folder, int keep, Meta meta, PolicyValueNet candidate, PolicyValueNet best, Optimizer optimizer, ReplayBuffer buffer)
        => Files(folder, keep).Save($"iter-{meta.Iteration:D4}.ckpt", new CheckpointBlocks()
            .Add(CheckpointBlocks.Meta, JsonSerializer.SerializeToUtf8Bytes(meta, ModelArtifact.JsonOptions))
            .Add("candidate", Bytes(w => candidate.save(w)))
            .Add("best", Bytes(w => best.save(w)))
            .Add("optimizer", Bytes(optimizer.Save))
            .Add("buffer", Bytes(buffer.Save)));

    /// <summary>
    /// The JSON part and the blocks of the newest valid checkpoint, or null; each newer file skipped
    /// is named through <paramref name="warn"/>, with the one it falls back to.
    /// </summary>
    public static (string Path, Meta Meta, CheckpointBlocks Blocks)? Latest(string folder, Action<string> warn)
    {
        if (Files(folder, keep: 1).Latest(warn) is not { } found) return null;
        var meta = JsonSerializer.Deserialize<Meta>(found.Blocks[CheckpointBlocks.Meta], ModelArtifact.JsonOptions)
            ?? throw new InvalidDataException($"{found.Path}: the meta block is null");
        return (found.Path, meta, found.Blocks);
    }

    /// <summary>Loads the networks, optimiser and buffer of a checkpoint (shapes already checked).</summary>
    public static void Restore(CheckpointBlocks blocks, PolicyValueNet candidate, PolicyValueNet best, Optimizer optimizer, ReplayBuffer buffer)
    {
        using (var r = Reader(blocks["candidate"])) candidate.load(r);
        using (var r = Reader(blocks["best"])) best.load(r);
        using (var r = Reader(blocks["optimizer"])) optimizer.Load(r);
        using (var r = Reader(blocks["buffer"])) buffer.Load(r);
    }

    private static CheckpointFolder Files(string folder, int keep) => new(folder, "iter", Magic, keep);

    private static byte[] Bytes(Action<BinaryWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true)) write(w);
        return stream.ToArray();
    }

    private static BinaryReader Reader(byte[] block) => new(new MemoryStream(block), Encoding.UTF8);
}
