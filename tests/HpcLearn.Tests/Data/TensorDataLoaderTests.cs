using HpcLearn.Data;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace HpcLearn.Tests.Data;

public sealed class TensorDataLoaderTests
{
    /// <summary>Inputs row i = (i, −i) and target i, so a batch's rows say which examples it holds.</summary>
    private static TensorDataLoader Loader(int n, int batchSize, bool shuffle = true, int seed = 5, int rank = 0, int worldSize = 1)
    {
        var target = arange(n, dtype: ScalarType.Float32);                  // (N)
        var inputs = stack([target, target.neg()], 1);                      // (N, 2)
        return new TensorDataLoader([inputs], target, batchSize, shuffle, seed, rank, worldSize);
    }

    private static long[] Sorted(long[] a) => a.Order().ToArray();

    [Fact]
    public void Dispose_disposes_the_tensors_it_owns_and_ends_its_use()
    {
        var target = arange(10, dtype: ScalarType.Float32);
        var inputs = stack([target, target.neg()], 1);
        var loader = new TensorDataLoader([inputs], target, 4, shuffle: false);
        loader.Dispose();
        Assert.True(inputs.IsInvalid);
        Assert.True(target.IsInvalid);
        Assert.Throws<ObjectDisposedException>(() => loader.Epoch(0).First());
        loader.Dispose();   // twice is harmless
    }

    [Fact]
    public void Dispose_with_leaveOpen_leaves_the_callers_tensors_alone()
    {
        using var target = arange(10, dtype: ScalarType.Float32);
        using var inputs = stack([target, target.neg()], 1);
        using (new TensorDataLoader([inputs], target, 4, shuffle: false, leaveOpen: true)) { }
        Assert.False(inputs.IsInvalid);
        Assert.Equal(45, target.sum().ToSingle());
    }

    [Fact]
    public void Each_epoch_is_a_permutation_and_the_batches_follow_it()
    {
        using var scope = NewDisposeScope();
        var loader = Loader(103, 10);
        for (int epoch = 0; epoch < 4; epoch++)
        {
            long[] idx = loader.ShardIndices(epoch);
            Assert.Equal(Enumerable.Range(0, 103).Select(i => (long)i), Sorted(idx));

            var seen = new List<long>();
            var sizes = new List<long>();
            foreach (var batch in loader.Epoch(epoch))
            {
                using (batch)
                {
                    sizes.Add(batch.Size);
                    Assert.Equal([batch.Size, 2L], batch.Inputs[0].shape);
                    Assert.Equal(batch.Target.data<float>().ToArray(), batch.Inputs[0].select(1, 0).data<float>().ToArray());
                    seen.AddRange(batch.Target.data<float>().ToArray().Select(v => (long)v));
                }
            }
            Assert.Equal(idx, seen);
            Assert.Equal(Enumerable.Repeat(10L, 10).Append(3L), sizes);
        }
        Assert.Equal(11, loader.BatchesPerEpoch);
    }

    [Fact]
    public void The_order_is_a_function_of_seed_and_epoch()
    {
        using var scope = NewDisposeScope();
        var a = Loader(50, 8, seed: 1);
        var b = Loader(50, 8, seed: 1);
        var c = Loader(50, 8, seed: 2);

        Assert.Equal(a.ShardIndices(3), b.ShardIndices(3));
        Assert.NotEqual(a.ShardIndices(3), a.ShardIndices(4));
        Assert.NotEqual(a.ShardIndices(3), c.ShardIndices(3));
        Assert.NotEqual(Enumerable.Range(0, 50).Select(i => (long)i), a.ShardIndices(0));
    }

    [Fact]
    public void The_order_is_the_same_in_every_process()
    {
        // A resumed run and every MPI rank are separate processes: the permutation must not
        // depend on anything per-process (such as .NET's randomised string/HashCode seeds).
        // The oracle: the same algorithm (SplitMix64 + Fisher-Yates with Lemire's bound) written
        // out separately in Python with arbitrary-precision integers.
        using var scope = NewDisposeScope();
        var loader = Loader(10, 4, seed: 3);

        Assert.Equal([6, 9, 1, 5, 3, 0, 7, 4, 2, 8], loader.ShardIndices(0));
        Assert.Equal([9, 8, 4, 0, 2, 1, 7, 3, 6, 5], loader.ShardIndices(1));
    }

    [Fact]
    public void Every_order_of_four_examples_is_equally_likely()
    {
        // 24,000 epochs of 4 examples: each of the 24 orders should come up ~1,000 times. A
        // chi-square statistic over 23 degrees of freedom is above 49.7 with probability 0.001.
        var counts = new Dictionary<string, int>();
        Span<long> items = stackalloc long[4];
        for (int epoch = 0; epoch < 24_000; epoch++)
        {
            for (int i = 0; i < 4; i++) items[i] = i;
            EpochPermutation.Shuffle(items, EpochPermutation.Seed(7, epoch));
            string key = string.Join(",", items.ToArray());
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        Assert.Equal(24, counts.Count);
        double chi2 = counts.Values.Sum(c => (c - 1000.0) * (c - 1000.0) / 1000.0);
        Assert.True(chi2 < 49.7, $"chi-square {chi2:F1} over 23 degrees of freedom");
    }

    [Fact]
    public void Without_shuffle_the_order_is_the_file_order()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (long)i), Loader(7, 3, shuffle: false).ShardIndices(5));
    }

    [Fact]
    public void Two_ranks_take_disjoint_equal_shards_that_cover_the_data_but_one_example_per_epoch()
    {
        using var scope = NewDisposeScope();
        var r0 = Loader(103, 10, rank: 0, worldSize: 2);
        var r1 = Loader(103, 10, rank: 1, worldSize: 2);
        var leftOut = new HashSet<long>();
        for (int epoch = 0; epoch < 3; epoch++)
        {
            long[] a = r0.ShardIndices(epoch), b = r1.ShardIndices(epoch);
            Assert.Equal(51, a.Length); // equal shards: the same number of steps on every rank
            Assert.Equal(51, b.Length);
            Assert.Empty(a.Intersect(b));
            var missing = Enumerable.Range(0, 103).Select(i => (long)i).Except([.. a, .. b]).ToList();
            Assert.Single(missing); // 103 mod 2: one example sits this epoch out
            leftOut.Add(missing[0]);
        }
        Assert.True(leftOut.Count > 1, "a different example is left out in different epochs");
        Assert.Equal(6, r0.BatchesPerEpoch);
        Assert.Equal(r0.BatchesPerEpoch, r1.BatchesPerEpoch);
        Assert.Equal([10L, 10, 10, 10, 10, 1], r0.Epoch(0).Select(batch => { using (batch) return batch.Size; }));
    }

    [Fact]
    public void Prefetching_yields_the_same_batches_in_the_same_order()
    {
        using var scope = NewDisposeScope();
        var target = arange(103, dtype: ScalarType.Float32);
        var plain = new TensorDataLoader([target.reshape(103, 1)], target, 10, shuffle: true, seed: 5);
        var ahead = new TensorDataLoader([target.reshape(103, 1)], target, 10, shuffle: true, seed: 5) { Prefetch = true };
        float[] Flat(TensorDataLoader l) => l.Epoch(2, skipBatches: 3).SelectMany(b => { using (b) return b.Target.data<float>().ToArray(); }).ToArray();
        Assert.Equal(Flat(plain), Flat(ahead));
        Assert.Equal(103 - 30, Flat(plain).Length);
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentOutOfRangeException>(() => Loader(10, 0));
        Assert.Throws<ArgumentException>(() => new TensorDataLoader([zeros(5, 2)], zeros(4), 2, shuffle: false));
    }
}

[Collection("torch-rng")] // counts live tensors process-wide, so it runs alone
public sealed class TensorDataLoaderEarlyExitTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Breaking_out_after_one_batch_neither_hangs_nor_leaks_batches(bool prefetch)
    {
        using var target = arange(1000, dtype: ScalarType.Float32);
        using var inputs = target.reshape(1000, 1);
        var loader = new TensorDataLoader([inputs], target, batchSize: 10, shuffle: true, seed: 1) { Prefetch = prefetch };
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long live = Tensor.TotalCount;

        // A liveness guard, not a speed assertion: a deadlock would otherwise hang the test run.
        var run = Task.Run(() =>
        {
            for (int i = 0; i < 50; i++)
            {
                foreach (var batch in loader.Epoch(i))
                {
                    batch.Dispose();
                    break;
                }
            }
        });
        await run.WaitAsync(TimeSpan.FromMinutes(2)); // throws TimeoutException on a hang

        Assert.Equal(live, Tensor.TotalCount);
    }
}
