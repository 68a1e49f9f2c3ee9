using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using HpcLearn.Tests.Cluster;
using Xunit;
using Xunit.Abstractions;

using HpcLearn.Runs;

namespace HpcLearn.Tests.Training.Distributed;

/// <summary>
/// The data-parallel oracle: 2 ranks × batch B, gradients all-reduced, end with the same weights
/// as 1 process × batch 2B on the tabular task (churn data, dropout 0, 1 thread per process).
/// It holds because the loader's strided shards make global batch k of the 2-rank run exactly
/// batch k of the single run, and the mean of the two ranks' mean gradients is the mean gradient
/// over those 2B examples. Only float rounding differs.
/// </summary>
[Trait("Category", "mpi")]
[Collection(MpiCollection.Name)]
public sealed class DataParallelEquivalenceTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hpclearn-ddp-").FullName;

    [SkippableTheory]
    [InlineData("adamw", "shard")]
    [InlineData("sgd", "shard")] // SGD's step scales with the gradient: a sum left undivided would show
    [InlineData("adamw", "noshard")] // every rank steps every parameter
    public void Two_ranks_with_batch_b_end_with_the_weights_of_one_process_with_batch_2b_or_says_mpi_is_missing(string optimizer, string shard)
    {
        if (MpiRun.Missing(output)) return;
        Equivalent(_dir, output, optimizer, args => MpiRun.Ranks(2, TimeSpan.FromMinutes(5), args), shard);
    }

    /// <summary>
    /// Three ranks (more than this machine's cores): a rank count that is not a power of two
    /// (the mean divides), an uneven split of the optimiser step, and uneven validation shares.
    /// </summary>
    [SkippableFact]
    public void Three_ranks_with_batch_b_end_with_the_weights_of_one_process_with_batch_3b_or_says_mpi_is_missing()
    {
        if (MpiRun.Missing(output)) return;
        Equivalent(_dir, output, "adamw", args => MpiRun.Ranks(3, TimeSpan.FromMinutes(5), args), "shard", ranks: 3);
    }

    /// <summary>The same oracle under MPICH's own launcher and library (libmpich.so.12, integer handles).</summary>
    [SkippableFact]
    public void Under_mpich_two_ranks_end_with_the_weights_of_one_process_or_says_mpich_is_missing()
    {
        if (MpiRun.MpichMissing(output)) return;
        Equivalent(_dir, output, "adamw", args => MpiRun.MpichRanks(2, TimeSpan.FromMinutes(5), args), "shard");
    }

    /// <summary>
    /// The oracle itself, for any launcher: <paramref name="onRanks"/> runs the probe on
    /// <paramref name="ranks"/> ranks (here mpirun on localhost; the two-host test bed runs it across
    /// network namespaces over TCP), the single process runs alone; files go to <paramref name="dir"/>.
    /// </summary>
    internal static void Equivalent(string dir, ITestOutputHelper output, string optimizer, Func<string[], MpiRun.Result> onRanks, string shard, int ranks = 2)
    {
        const int epochs = 3;
        int globalBatch = 16 * ranks;
        var many = onRanks(["ddp", Path.Combine(dir, "many"), $"{globalBatch}", $"{epochs}", optimizer, shard]);
        output.WriteLine(many.Output);
        Assert.True(many.ExitCode == 0, many.Output);
        var one = MpiRun.Alone(TimeSpan.FromMinutes(5), "ddp", Path.Combine(dir, "one"), $"{globalBatch}", $"{epochs}", optimizer);
        output.WriteLine(one.Output);
        Assert.True(one.ExitCode == 0, one.Output);

        Assert.Contains("batch_per_rank=16", many.Output);
        Assert.Contains($"batch_per_rank={globalBatch}", one.Output);
        Assert.Contains("buckets=2", many.Output);     // several all-reduces per step were exercised
        Assert.Contains("copy_steps=1", many.Output);  // and after the first step, gradients lived in the buckets
        Assert.Contains(shard == "shard" ? "shared=1" : "shared=0", many.Output);
        if (shard == "shard") Assert.DoesNotContain("mine=0", many.Output);  // each rank stepped some parameters

        // Data parallelism's invariant: the ranks hold bitwise-identical weights.
        var rank0 = Weights(dir, "many.rank0.bin");
        for (int r = 1; r < ranks; r++) Assert.Equal(rank0, Weights(dir, $"many.rank{r}.bin"));

        var single = Weights(dir, "one.rank0.bin");
        Assert.Equal(single.Length, rank0.Length);
        double worst = 0;
        for (int i = 0; i < single.Length; i++)
        {
            double diff = Math.Abs(rank0[i] - single[i]);
            worst = Math.Max(worst, diff);
            Assert.True(diff <= 1e-5 + 1e-5 * Math.Abs(single[i]), $"weight {i}: 2 ranks {rank0[i]} vs 1 process {single[i]}");
        }
        output.WriteLine($"{single.Length} weights, largest difference {worst:E2}");

        // The optimiser state (momentum; Adam's moments), gathered from the ranks that stepped
        // each share, is the same on both ranks and matches the single process's.
        var state0 = Weights(dir, "many.rank0.state.bin");
        for (int r = 1; r < ranks; r++) Assert.Equal(state0, Weights(dir, $"many.rank{r}.state.bin"));
        var singleState = Weights(dir, "one.rank0.state.bin");
        Assert.Equal(singleState.Length, state0.Length);
        for (int i = 0; i < singleState.Length; i++)
            Assert.True(Math.Abs(state0[i] - singleState[i]) <= 1e-5 + 1e-4 * Math.Abs(singleState[i]),
                $"state {i}: 2 ranks {state0[i]} vs 1 process {singleState[i]}");
        // Training did something: the loss fell (equal weights are not untouched initial weights).
        Assert.True(Loss(one.Output, epochs) < 0.9 * Loss(one.Output, 1), one.Output);

        // The per-epoch training loss, averaged over ranks weighted by examples, is the single run's;
        // so are the validation loss and accuracy, evaluated in shares by the ranks and gathered.
        for (int e = 1; e <= epochs; e++)
        {
            Assert.True(Math.Abs(Loss(many.Output, e) - Loss(one.Output, e)) <= 1e-5 * Loss(one.Output, e),
                $"epoch {e}: 2-rank loss {Loss(many.Output, e)} vs single {Loss(one.Output, e)}");
            Assert.True(Math.Abs(Value(many.Output, "valid_loss", e) - Value(one.Output, "valid_loss", e)) <= 1e-5 * Value(one.Output, "valid_loss", e),
                $"epoch {e}: 2-rank validation loss {Value(many.Output, "valid_loss", e)} vs single {Value(one.Output, "valid_loss", e)}");
            Assert.Equal(Value(one.Output, "valid_accuracy", e), Value(many.Output, "valid_accuracy", e));
        }
    }

    private static float[] Weights(string dir, string file) => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(dir, file))).ToArray();

    private static double Loss(string text, int epoch) => Value(text, "train_loss", epoch);

    private static double Value(string text, string key, int epoch)
        => double.Parse(Regex.Match(text, $@"epoch={epoch} .*?\b{key}=([0-9.eE+-]+)").Groups[1].Value, CultureInfo.InvariantCulture);

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
