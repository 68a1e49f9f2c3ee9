namespace HpcLearn.Tasks.Tabular;

/// <summary>
/// The libtorch threads a tabular training gets when the user did not choose them. Most tabular
/// networks are small: one step of the default (batch 64, widths 200 and 100) is about 1.5M
/// multiply-adds, and libtorch and oneMKL then spend more on handing work between threads than they
/// save (oneMKL splits even the smallest matrix product over every thread). Measured on the 2-core
/// AMD EPYC (Zen 4) reference machine, 2026-12-05, `HpcLearn.Bench tabular-threads BATCH WIDTHS 6`
/// (one bare epoch of 20,000 rows alternated between 1 and 2 threads; docs/tabular.md): 2 threads
/// took 1.4–1.5× the time of one at 1.5M multiply-adds a step, 1.25× at 6M, 1.20× at 9M, 1.37× at
/// 24M, 1.05× at 36M, and were faster only from about 50M (0.84× at 139M, 0.81× at 557M).
/// </summary>
internal static class TabularThreadChoice
{
    /// <summary>Forward multiply-adds of one training step below which one thread trains faster.</summary>
    public const double SmallStep = 50e6;

    /// <summary>
    /// The thread count to train with, and the line that says why when it differs from
    /// <paramref name="current"/>: one thread for a step of fewer than <see cref="SmallStep"/>
    /// multiply-adds on the CPU, unless the count was requested (--threads, the config's threads).
    /// </summary>
    public static (int Threads, string? Note) For(int current, bool defaulted, bool cpu, double multiplyAddsPerStep)
    {
        if (current <= 1 || !defaulted || !cpu || multiplyAddsPerStep >= SmallStep) return (current, null);
        string size = multiplyAddsPerStep >= 1e6 ? $"{multiplyAddsPerStep / 1e6:0.#}M" : $"{multiplyAddsPerStep / 1e3:0.#}k";
        return (1, System.FormattableString.Invariant(
            $"threads: 1 instead of {current}: the network is small ({size} multiply-adds a training step, under {SmallStep / 1e6:0}M), and one libtorch thread trains it faster than {current} (docs/tabular.md); threads: {current} in the config or --threads {current} keeps {current}"));
    }
}
