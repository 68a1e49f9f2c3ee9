using HpcLearn.Data;
using Xunit;
using static TorchSharp.torch;

namespace HpcLearn.Tests.Data;

/// <summary>
/// The loader's global batches (<see cref="TensorDataLoader.Regroup"/>): a run resumed on another
/// number of ranks must train on the same examples in the same global batches, and leave out the
/// same examples at each epoch's end, as the run that wrote the checkpoint.
/// </summary>
public sealed class TensorDataLoaderRegroupTests
{
    private static TensorDataLoader Loader(int n, int batchSize, int rank = 0, int worldSize = 1)
    {
        var target = arange(n, dtype: ScalarType.Float32);   // (N): row i holds example i
        return new TensorDataLoader([target.unsqueeze(1)], target, batchSize, shuffle: true, seed: 3, rank, worldSize);
    }

    // Every global batch of one epoch, as the examples of all ranks together (sorted: the order
    // inside a batch is the ranks', which a mean gradient does not see).
    private static List<long[]> GlobalBatches(int n, int ranks, Action<TensorDataLoader> layout, int batchSize, int epoch = 1)
    {
        var perRank = Enumerable.Range(0, ranks).Select(r =>
        {
            using var loader = Loader(n, batchSize, r, ranks);
            layout(loader);
            return loader.Epoch(epoch).Select(b => { using (b) return b.Target.data<float>().Select(v => (long)v).ToArray(); }).ToList();
        }).ToList();
        Assert.All(perRank, batches => Assert.Equal(perRank[0].Count, batches.Count));
        return Enumerable.Range(0, perRank[0].Count).Select(k => perRank.SelectMany(b => b[k]).Order().ToArray()).ToList();
    }

    [Fact]
    public void The_default_layout_is_every_worldsize_th_entry_of_the_kept_permutation()
    {
        // What the loader always did: rank r keeps entries r, r + W, ... of the first N − N mod W.
        using var whole = Loader(101, 4);
        long[] order = whole.ShardIndices(2);
        for (int r = 0; r < 3; r++)
        {
            using var loader = Loader(101, 4, r, 3);
            long[] expected = Enumerable.Range(0, 33).Select(i => order[r + 3 * i]).ToArray();
            Assert.Equal(expected, loader.ShardIndices(2));
            Assert.Equal(33, loader.ShardSize);
            Assert.Equal(12, loader.GlobalBatch);
            Assert.Equal(3, loader.KeptMultiple);
            Assert.Equal(99, loader.EpochExamples);
            Assert.Equal(9, loader.BatchesPerEpoch);   // ceil(33 / 4)
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    public void Regrouped_ranks_train_the_two_rank_runs_global_batches(int ranks)
    {
        // 2 ranks × 16 over 97 rows: 96 kept (97 mod 2 left out), global batches of 32.
        var two = GlobalBatches(97, 2, _ => { }, 16);
        var other = GlobalBatches(97, ranks, l => l.Regroup(32, 2), 8);
        Assert.Equal(3, two.Count);
        Assert.Equal(two, other);
    }

    [Fact]
    public void An_uneven_split_gives_the_first_ranks_one_example_more()
    {
        var sizes = Enumerable.Range(0, 3).Select(r =>
        {
            using var loader = Loader(100, 8, r, 3);
            loader.Regroup(32, 2);
            Assert.Equal(11, loader.BatchSize);
            Assert.Equal(4, loader.BatchesPerEpoch);   // 100 rows: 32 + 32 + 32 + 4
            Assert.Equal(new long[] { 32, 32, 32, 4 }, Enumerable.Range(0, 4).Select(loader.GlobalBatchExamples));
            var batches = loader.Epoch(0).Select(b => { using (b) return b.Size; }).ToArray();
            Assert.Equal(loader.ShardSize, batches.Sum());
            return batches;
        }).ToList();
        Assert.Equal([11, 11, 11, 2], sizes[0]);
        Assert.Equal([11, 11, 11, 1], sizes[1]);
        Assert.Equal([10, 10, 10, 1], sizes[2]);
    }

    [Fact]
    public void A_layout_that_would_leave_a_rank_without_examples_is_refused()
    {
        using var loader = Loader(100, 8, 0, 3);
        Assert.Equal("a global batch of 2 examples cannot give each of 3 ranks an example", loader.RegroupProblem(2, 1));
        // 98 kept, 98 mod 32 = 2: the last global batch cannot be shared by 3 ranks.
        Assert.Equal("the epoch's last global batch has 2 examples, fewer than the 3 ranks", loader.RegroupProblem(32, 7));
        Assert.Null(loader.RegroupProblem(32, 2));
        var e = Assert.Throws<ArgumentException>(() => loader.Regroup(2, 1));
        Assert.Contains("cannot give each of 3 ranks", e.Message);
        Assert.Equal(24, loader.GlobalBatch);   // unchanged
    }
}
