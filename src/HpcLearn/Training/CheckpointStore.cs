using System.Text.Json;
using HpcLearn.Config;
using TorchSharp;
using static TorchSharp.torch;

using HpcLearn.Runs;

namespace HpcLearn.Training;

/// <summary>
/// The Learner's checkpoints in one folder: <c>epoch-0007.ckpt</c> (<c>epoch-0007-batch-00040.ckpt</c>
/// for a mid-epoch stop), each a <see cref="CheckpointContainer"/> file with magic <c>HPCLCKPT</c>
/// and the blocks <c>meta</c> (<see cref="CheckpointInfo"/> as JSON: epoch, step, plan, history,
/// data cursor, config), <c>state</c> (model, optimiser, schedule: <see cref="Learner.SaveState"/>)
/// and <c>rng</c> (libtorch's generator). The newest <see cref="Keep"/> are kept; a restore takes
/// the newest valid file and names each file it skipped in one warning.
/// </summary>
public sealed class CheckpointStore
{
    private const string Magic = "HPCLCKPT";
    internal static JsonSerializerOptions Json => RunJson.Options;
    private readonly CheckpointFolder _files;

    /// <summary>Creates a store over <paramref name="directory"/> (created on first save).</summary>
    public CheckpointStore(string directory, int keep = 3)
    {
        if (keep < 1) throw new ArgumentOutOfRangeException(nameof(keep));
        _files = new CheckpointFolder(directory, "epoch", Magic, keep);
    }

    /// <summary>The folder.</summary>
    public string Folder => _files.Folder;

    /// <summary>How many checkpoints are kept.</summary>
    public int Keep => _files.Keep;

    /// <summary>Checkpoint files, newest position first (validity not checked).</summary>
    public IReadOnlyList<CheckpointFile> List()
        => _files.List().Select(CheckpointFile.Parse).OfType<CheckpointFile>()
            .OrderByDescending(f => f.Epoch).ThenByDescending(f => f.Batch).ToList();

    /// <summary>The newest checkpoint file by name, or null.</summary>
    public CheckpointFile? Latest() => List() is { Count: > 0 } l ? l[0] : null;

    /// <summary>Writes the learner's state; returns the file path.</summary>
    public string Save(Learner learner, string config)
    {
        var meta = new CheckpointInfo("", learner.Epoch, learner.Step, learner.Plan, learner.History.ToList(), config, DateTime.UtcNow, learner.Progress,
            learner.Communicator.Size, learner.Train.GlobalBatch, learner.Train.KeptMultiple);
        using var state = new MemoryStream();
        learner.SaveState(state);
        using var rng = torch.get_rng_state();
        return _files.Save(CheckpointFile.NameFor(learner.Epoch, learner.Progress.Batches), new CheckpointBlocks()
            .Add(CheckpointBlocks.Meta, JsonSerializer.SerializeToUtf8Bytes(meta, Json))
            .Add("state", state.ToArray())
            .Add("rng", rng.bytes.ToArray()));
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
        int configGlobal = learner.Train.GlobalBatch;
        var info = RestoreLatest(learner, msg => log.WriteLine("warning: " + msg), configYaml)
            ?? throw RunFolder.NoValidCheckpoint(Folder);
        log.WriteLine($"resuming from {info.Path} (epoch {info.Epoch}, step {info.Step})");
        if (Regrouped(info, learner, configGlobal) is { } line) log.WriteLine(line);
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
        if (_files.Latest(warn) is not { } found) return null;
        var (path, blocks) = found;
        var meta = Meta(blocks);
        if (configYaml is not null) CheckSameModel(path, meta.Config, configYaml);
        KeepGlobalBatch(path, meta, learner.Train);
        try
        {
            using var s = new MemoryStream(blocks["state"]);
            learner.LoadState(s);
        }
        catch (ArgumentException e)
        {
            // Same model section, other shapes: the data changed (columns, classes, vocabulary).
            throw new UserError($"--resume: the weights in {path} do not fit the model this run builds ({e.Message.Split('\n')[0]}); " +
                "a model's shape follows model.* and the data's columns and classes: resume with the config and data the run started with, or start a new run without --resume", e);
        }
        using (var r = torch.tensor(blocks["rng"], dtype: ScalarType.Byte)) torch.set_rng_state(r);
        learner.Epoch = meta.Epoch;
        learner.Step = meta.Step;
        learner.Plan = meta.Plan;
        learner.Progress = meta.Progress ?? EpochProgress.None;
        // One process's sums, as the one rank's: on several ranks now, rank 0 carries them (EpochProgress.ForRank).
        if (meta.WorldSize == 1 && learner.Progress is { Batches: > 0, RankLossSums: null } p)
            learner.Progress = p with { RankLossSums = [p.LossSum], RankExamples = [p.Examples] };
        learner.RestoreHistory(meta.History);
        return meta with { Path = path };
    }

    // The checkpoint's global batch and kept examples, whatever the number of ranks now (checkpoints
    // from before they were recorded continue with the loader's own layout, as they always did).
    private static void KeepGlobalBatch(string path, CheckpointInfo meta, Data.TensorDataLoader train)
    {
        if (meta.GlobalBatch is not { } g || meta.KeptMultiple is not { } kept) return;
        if (g == train.GlobalBatch && kept == train.KeptMultiple) return;
        if (train.RegroupProblem(g, kept) is { } why)
        {
            long last = (train.Count - train.Count % kept) % g;
            int most = (int)Math.Min(g, last > 0 ? last : g);
            throw new UserError($"--resume: the checkpoint {path} was written by {meta.WorldSize} rank{(meta.WorldSize == 1 ? "" : "s")} with a global batch of {g} examples, " +
                $"which {train.WorldSize} ranks cannot keep: {why}; resume on at most {most} rank{(most == 1 ? "" : "s")}, or start a new run with another name");
        }
        train.Regroup(g, kept);
    }

    /// <summary>
    /// The line that says how a run resumed on another number of ranks (or with another
    /// <c>train.batch_size</c>) keeps the checkpoint's global batch; null when nothing changed.
    /// </summary>
    /// <param name="info">The restored checkpoint.</param>
    /// <param name="learner">The learner it was restored into.</param>
    /// <param name="configGlobal">The global batch this run's config gave before the restore (batch size × ranks).</param>
    internal static string? Regrouped(CheckpointInfo info, Learner learner, int configGlobal)
    {
        var train = learner.Train;
        int ranks = learner.Communicator.Size;
        if (info.WorldSize is not { } written || info.GlobalBatch is not { } g) return null;
        if (written == ranks && g == configGlobal) return null;
        string configSays = $"the config's train.batch_size {configGlobal / ranks} × {ranks} = {configGlobal} applies to new runs";
        if (written == ranks) return $"resumed with the checkpoint's global batch {g} ({configSays})";
        var shares = Enumerable.Range(0, ranks).Select(r => (g - r + ranks - 1) / ranks).ToList();
        string split = ranks == 1 ? $"{g} on one rank"
            : shares.Distinct().Count() == 1 ? $"{string.Join("+", shares)}"
            : $"{string.Join("+", shares)} (each rank's loss weighted by its share, so a step is the mean gradient over the same {g} examples)";
        var progress = info.Progress ?? EpochProgress.None;
        string where = progress.Batches > 0 ? $"epoch {info.Epoch + 1}, global batch {progress.Batches + 1} of {train.BatchesPerEpoch}" : $"epoch {info.Epoch + 1}";
        long left = train.Count % train.KeptMultiple;
        return $"resumed on {ranks} rank{(ranks == 1 ? "" : "s")} (checkpoint written by {written}): global batch {g} kept as {split}; " +
            $"the same examples in the same order from {where}, each epoch leaving out the last {left} of the {train.Count} as on {written} rank{(written == 1 ? "" : "s")}" +
            (g == configGlobal ? "" : $"; {configSays}");
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
    /// <exception cref="UserError">The file is of a newer checkpoint format than this build reads.</exception>
    public static bool TryRead(string path, out CheckpointInfo? meta, out byte[]? state, out byte[]? rng, out string? why)
    {
        meta = null; state = null; rng = null;
        if (!CheckpointContainer.TryRead(path, Magic, out var blocks, out why)) return false;
        meta = Meta(blocks);
        state = blocks["state"];
        rng = blocks["rng"];
        return true;
    }

    private static CheckpointInfo Meta(CheckpointBlocks blocks)
        => JsonSerializer.Deserialize<CheckpointInfo>(blocks[CheckpointBlocks.Meta], Json)
           ?? throw new InvalidDataException("a checkpoint's meta block is null");
}
