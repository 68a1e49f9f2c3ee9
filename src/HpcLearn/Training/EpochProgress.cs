using HpcLearn.Runs;

namespace HpcLearn.Training;

/// <summary>How far the current epoch has got: the data cursor saved in checkpoints.</summary>
/// <param name="Batches">Batches done in this epoch.</param>
/// <param name="LossSum">Sum of batch loss × batch size so far (for the epoch's mean loss).</param>
/// <param name="Examples">Examples seen so far.</param>
/// <param name="RankLossSums">
/// Under data parallelism, every rank's <paramref name="LossSum"/> (index = rank), gathered when a
/// stopped fit is checkpointed: each rank saw other examples, and rank 0 alone writes the file. Null
/// on one process and at epoch boundaries.
/// </param>
/// <param name="RankExamples">Every rank's <paramref name="Examples"/>, as <paramref name="RankLossSums"/>.</param>
public sealed record EpochProgress(int Batches, double LossSum, long Examples, double[]? RankLossSums = null, long[]? RankExamples = null)
{
    /// <summary>At an epoch boundary.</summary>
    public static EpochProgress None { get; } = new(0, 0, 0);

    /// <summary>
    /// This rank's part of a restored progress: its own sums when the checkpoint holds one per rank
    /// of a world of <paramref name="size"/>; when the world size changed, the sums of all ranks on
    /// rank 0 and none on the others, so the epoch's mean over all ranks is still the whole epoch's.
    /// </summary>
    public EpochProgress ForRank(int rank, int size)
    {
        if (RankLossSums is null || RankExamples is null) return this;
        if (RankLossSums.Length == size && RankExamples.Length == size)
            return new EpochProgress(Batches, RankLossSums[rank], RankExamples[rank]);
        return rank == 0 ? new EpochProgress(Batches, RankLossSums.Sum(), RankExamples.Sum()) : new EpochProgress(Batches, 0, 0);
    }
}
