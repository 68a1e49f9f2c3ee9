using HpcLearn.Runs;

namespace HpcLearn.Training.Callbacks;

/// <summary>
/// Writes a checkpoint every <see cref="Every"/> epochs and at the end of the fit, through a
/// <see cref="CheckpointStore"/> (atomic, checksummed, last K kept).
/// </summary>
public sealed class CheckpointCallback(CheckpointStore store, int every = 1, string configText = "") : Callback
{
    /// <inheritdoc />
    public override int Order => CallbackOrder.Checkpoint;

    /// <summary>Epochs between checkpoints.</summary>
    public int Every { get; } = every >= 1 ? every : throw new ArgumentOutOfRangeException(nameof(every));

    /// <summary>The last checkpoint written, if any.</summary>
    public string? LastPath { get; private set; }

    /// <inheritdoc />
    public override LoopAction OnEpochEnd(Learner learner, EpochRecord record)
    {
        if (learner.Optimizer.StateIncomplete) return LoopAction.Continue;   // see Optimizer.StateIncomplete
        if (record.Epoch % Every == 0 || record.Epoch == learner.Plan?.LastEpoch)
            LastPath = store.Save(learner, configText);
        return LoopAction.Continue;
    }

    /// <inheritdoc />
    public override void OnFitEnd(Learner learner)
    {
        // A stop between checkpoint epochs, or in the middle of an epoch (deadline, signal),
        // still leaves its exact position on disk, data cursor included.
        // Not after a sharded step whose state this rank could not gather (a rank failed): the
        // last checkpoint stays the newest.
        if (learner.Diverged || learner.Optimizer.StateIncomplete || (learner.Epoch == 0 && learner.Progress.Batches == 0)) return;
        var latest = store.Latest();
        if (latest is null || latest.Epoch != learner.Epoch || latest.Batch != learner.Progress.Batches)
            LastPath = store.Save(learner, configText);
    }
}
