namespace HpcLearn.Runs;

/// <summary>
/// A named stream of seeds derived from a run's seed (<see cref="Seeds.Derive"/>): one per use
/// of randomness besides the run's own seed, so that two uses never share a sequence by accident.
/// A stream's factors are those its task used before the streams were gathered here, so that
/// results, golden tests and documented figures stay as they were; a new stream takes new factors.
/// </summary>
/// <param name="Name">What the stream seeds (for logs and docs).</param>
/// <param name="SeedFactor">The run's seed is multiplied by it.</param>
/// <param name="Offset">Added after the multiplication (<see cref="At"/> adds an index, e.g. an iteration).</param>
/// <param name="RankFactor">Multiplies the rank, so that each rank of a data-parallel run draws its own sequence.</param>
public readonly record struct SeedStream(string Name, int SeedFactor, int Offset, int RankFactor)
{
    /// <summary>The stream's seed for item <paramref name="index"/> (an iteration, a round): its offset moved by the index.</summary>
    public SeedStream At(int index) => this with { Offset = unchecked(Offset + index) };

    /// <summary>Games: each self-play iteration's games, search noise and training batches, per rank (<c>At(iteration)</c>).</summary>
    public static SeedStream SelfPlay { get; } = new("self-play", 7919, 0, 1_000_003);

    /// <summary>Games with <c>selfplay.overlap</c>: each iteration's training batches and evaluation games, drawn beside self-play (which keeps <see cref="SelfPlay"/>, <c>At(iteration)</c>).</summary>
    public static SeedStream SelfPlayTraining { get; } = new("self-play training", 104_723, 0, 1_000_003);

    /// <summary>Games: the final evaluation's opponents.</summary>
    public static SeedStream Opponents { get; } = new("opponents", 1, 1, 0);

    /// <summary>Text: the dropout masks of a rank other than 0 in a data-parallel run.</summary>
    public static SeedStream Dropout { get; } = new("dropout", 31, 0, 1);

    /// <summary>Recommend (implicit feedback): the negative items BPR samples, per rank.</summary>
    public static SeedStream NegativeItems { get; } = new("negative items", 1, 0, 1_000_003);

    /// <summary>Recommend: the training pairs set aside for the per-epoch validation (<c>data.valid_fraction</c>).</summary>
    public static SeedStream ValidationPairs { get; } = new("validation pairs", 1, 104_729, 0);

    /// <summary>PDE: the candidate points of each residual-based refinement round (<c>At(round)</c>).</summary>
    public static SeedStream Refinement { get; } = new("refinement", 1_000_003, 0, 0);
}
