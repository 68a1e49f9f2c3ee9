using System.Text;
using System.Text.Json;
using HpcLearn.Runs;
using HpcLearn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Text;

/// <summary>
/// The text task's checkpoints: <c>checkpoints/step-000500.ckpt</c>, <see cref="CheckpointContainer"/>
/// files with magic <c>HPCLTEXT</c> and the blocks <c>meta</c> (step, evaluation history, config as
/// JSON), <c>state</c> (model and optimiser) and <c>rng</c> (libtorch's RNG state: dropout); the
/// newest <see cref="Keep"/> are kept. Batches depend on
/// (seed, step) only, so a resumed run draws the same blocks the uninterrupted one would have.
/// </summary>
public sealed class TextCheckpoints(string folder, int keep)
{
    private readonly CheckpointFolder _store = new(folder, "step", "HPCLTEXT", keep);

    /// <summary>The folder.</summary>
    public string Folder => _store.Folder;

    /// <summary>How many are kept.</summary>
    public int Keep => _store.Keep;

    // WorldSize and GlobalBatch are null in checkpoints from before they were recorded.
    private sealed record Meta(long Step, List<TextEvalRecord> History, string Config, int? WorldSize = null, int? GlobalBatch = null);

    /// <summary>A restored checkpoint: its file, config, and the ranks and global batch it was written with (null when not recorded).</summary>
    public sealed record Restored(string Path, string Config, int? WorldSize, int? GlobalBatch);

    /// <summary>Checkpoint files, newest first.</summary>
    public IReadOnlyList<string> List() => _store.List();

    /// <summary>Writes the trainer's state; returns the path.</summary>
    public string Save(TextTrainer trainer, string config)
    {
        using var state = new MemoryStream();
        using (var sw = new BinaryWriter(state, Encoding.UTF8, leaveOpen: true)) trainer.SaveState(sw);
        using var rng = torch.get_rng_state();
        return _store.Save($"step-{trainer.Step:D6}.ckpt", new CheckpointBlocks()
            .Add(CheckpointBlocks.Meta, JsonSerializer.SerializeToUtf8Bytes(new Meta(trainer.Step, trainer.History.ToList(), config, trainer.Ranks, trainer.GlobalBatch), ModelArtifact.JsonOptions))
            .Add("state", state.ToArray())
            .Add("rng", rng.bytes.ToArray()));
    }

    /// <summary>
    /// Restores the newest valid checkpoint into <paramref name="trainer"/>; each newer file
    /// skipped is named through <paramref name="warn"/>, with the one it falls back to. Returns what it restored, or null.
    /// The checkpoint's global batch is kept, whatever the number of ranks now.
    /// </summary>
    /// <exception cref="UserError">The checkpoint's global batch has fewer blocks than there are ranks now.</exception>
    public Restored? RestoreLatest(TextTrainer trainer, Action<string> warn)
    {
        if (_store.Latest(warn) is not { } found) return null;
        var (path, blocks) = found;
        var meta = JsonSerializer.Deserialize<Meta>(blocks[CheckpointBlocks.Meta], ModelArtifact.JsonOptions)!;
        if (meta.GlobalBatch is { } g && g < trainer.Ranks)
            throw new UserError($"--resume: the checkpoint {path} was written by {meta.WorldSize} rank{(meta.WorldSize == 1 ? "" : "s")} with a global batch of {g} blocks, " +
                $"which {trainer.Ranks} ranks cannot keep (each rank needs at least one block per step); resume on at most {g} ranks, or start a new run with another name");
        using (var state = new BinaryReader(new MemoryStream(blocks["state"]))) trainer.LoadState(state);
        using (var rng = torch.tensor(blocks["rng"], dtype: ScalarType.Byte)) torch.set_rng_state(rng);
        trainer.Step = meta.Step;
        trainer.RestoreHistory(meta.History);
        if (meta.GlobalBatch is { } kept) trainer.GlobalBatch = kept;
        return new Restored(path, meta.Config, meta.WorldSize, meta.GlobalBatch);
    }
}
