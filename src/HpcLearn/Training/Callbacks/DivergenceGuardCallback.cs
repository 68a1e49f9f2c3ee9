using HpcLearn.Runs;

namespace HpcLearn.Training.Callbacks;

/// <summary>
/// Stops training at the first non-finite loss, or when the loss explodes past
/// <see cref="ExplodeFactor"/> times the best epoch's training loss. The epoch is not recorded,
/// so no checkpoint of the diverged weights is written: the last good one stays the newest.
/// </summary>
public sealed class DivergenceGuardCallback : Callback
{
    private double _bestEpochLoss = double.PositiveInfinity;

    /// <inheritdoc />
    public override int Order => CallbackOrder.DivergenceGuard;

    /// <summary>How far above the best epoch loss a batch loss may go. Default 1e4.</summary>
    public double ExplodeFactor { get; init; } = 1e4;

    /// <summary>Description of what went wrong, or null.</summary>
    public string? Message { get; private set; }

    /// <inheritdoc />
    public override LoopAction OnBatchEnd(Learner learner, double loss)
    {
        bool exploded = double.IsFinite(_bestEpochLoss) && loss > ExplodeFactor * Math.Max(_bestEpochLoss, 1e-8);
        if (double.IsFinite(loss) && !exploded) return LoopAction.Continue;
        learner.Diverged = true;
        Message = $"training diverged in epoch {learner.Epoch + 1}, step {learner.Step} (loss = {loss:G4}, learning rate {NumberText.Short(learner.LearningRate)})";
        learner.RequestStop(Message);
        return LoopAction.Stop;
    }

    /// <inheritdoc />
    public override LoopAction OnEpochEnd(Learner learner, EpochRecord record)
    {
        if (double.IsFinite(record.TrainLoss)) _bestEpochLoss = Math.Min(_bestEpochLoss, record.TrainLoss);
        return LoopAction.Continue;
    }
}
