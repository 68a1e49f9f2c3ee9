namespace HpcLearn.Training;

/// <summary>How far the current epoch has got: the data cursor saved in checkpoints.</summary>
/// <param name="Batches">Batches done in this epoch.</param>
/// <param name="LossSum">Sum of batch loss × batch size so far (for the epoch's mean loss).</param>
/// <param name="Examples">Examples seen so far.</param>
public sealed record EpochProgress(int Batches, double LossSum, long Examples)
{
    /// <summary>At an epoch boundary.</summary>
    public static EpochProgress None { get; } = new(0, 0, 0);
}
