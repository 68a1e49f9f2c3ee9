namespace HpcLearn.Data;

/// <summary>
/// The shuffle of one epoch, the same in every process (a resumed run, every MPI rank) and on
/// every .NET version: Fisher–Yates driven by a SplitMix64 stream, each draw made unbiased by
/// Lemire's multiply-and-reject bound. Not <see cref="Random"/> (its seeded generator is a
/// compatibility algorithm at ~40 ns a draw) and not <see cref="HashCode"/> (randomised per process).
/// </summary>
public static class EpochPermutation
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>The 64-bit seed of one epoch: SplitMix64's finaliser of (seed, epoch).</summary>
    public static ulong Seed(int seed, int epoch) => Mix(((ulong)(uint)seed << 32 | (uint)epoch) + Golden);

    /// <summary>Shuffles <paramref name="items"/> in place: item i swaps with a uniform j in [0, i], from the last down.</summary>
    public static void Shuffle(Span<long> items, ulong seed)
    {
        ulong state = seed;
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = (int)Below(ref state, (ulong)i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    // SplitMix64: the state advances by the golden gamma; the output is its finaliser.
    private static ulong Next(ref ulong state) => Mix(state += Golden);

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    // A uniform integer in [0, bound): the high word of draw × bound, redrawing the few draws whose
    // low word falls below 2^64 mod bound (Lemire, "Fast random integer generation in an interval", 2019).
    private static ulong Below(ref ulong state, ulong bound)
    {
        ulong high = Math.BigMul(Next(ref state), bound, out ulong low);
        if (low < bound)
        {
            ulong threshold = (0 - bound) % bound;
            while (low < threshold) high = Math.BigMul(Next(ref state), bound, out low);
        }
        return high;
    }
}
