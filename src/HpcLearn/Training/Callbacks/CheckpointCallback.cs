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
        if (record.Epoch % Every == 0 || record.Epoch == learner.Plan?.LastEpoch)
            LastPath = store.Save(learner, configText);
        return LoopAction.Continue;
    }

    /// <inheritdoc />
    public override void OnFitEnd(Learner learner)
    {
        // An early stop between checkpoint epochs still leaves its last epoch on disk.
        if (!learner.Diverged && learner.History.Count > 0 && store.Latest()?.Epoch != learner.Epoch)
            LastPath = store.Save(learner, configText);
    }
}
