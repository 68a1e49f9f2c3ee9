namespace HpcLearn.Data;

/// <summary>
/// The seed of one batch's random augmentation: SplitMix64 of (seed, epoch, batch index), so a
/// resumed run, the prefetch thread and every MPI rank draw the same augmentation for a batch.
/// </summary>
public static class BatchSeed
{
    /// <summary>A non-negative seed for <see cref="Random"/>.</summary>
    public static int Of(int seed, int epoch, int batch)
    {
        ulong z = ((ulong)(uint)seed << 40) ^ ((ulong)(uint)epoch << 20) ^ (uint)batch;
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & int.MaxValue);
    }
}
