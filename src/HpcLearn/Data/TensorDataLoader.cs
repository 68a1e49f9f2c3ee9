using System.Collections.Concurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Data;

/// <summary>
/// Batches of in-memory tensors. The order of each epoch is a pure function of (seed, epoch),
/// so a resumed run sees exactly the batches the uninterrupted run would have seen, and under
/// data parallelism every rank agrees on the permutation and takes its own disjoint shard.
/// With <see cref="Prefetch"/> the next batch is gathered on a background thread while the model works.
/// The loader owns its tensors and disposes them when it is disposed (unless made with <c>leaveOpen</c>).
/// </summary>
public sealed class TensorDataLoader : IDisposable
{
    private readonly Tensor[] _inputs;
    private readonly Tensor _target;
    private readonly bool _leaveOpen;
    private bool _disposed;
    private readonly long _count;   // not _target.shape[0] per call: TorchSharp's shape leaves a finalisable object

    /// <summary>Creates a loader over tensors that share their first dimension.</summary>
    /// <param name="inputs">Model inputs, examples along dimension 0.</param>
    /// <param name="target">Targets, examples along dimension 0.</param>
    /// <param name="batchSize">Examples per batch (per rank).</param>
    /// <param name="shuffle">Reshuffle every epoch (training) or keep file order (evaluation).</param>
    /// <param name="seed">Seed of the shuffle.</param>
    /// <param name="rank">This process's rank for data-parallel sharding.</param>
    /// <param name="worldSize">Number of processes sharing the data.</param>
    /// <param name="leaveOpen">
    /// Leave <paramref name="inputs"/> and <paramref name="target"/> alone on <see cref="Dispose"/>
    /// (the caller still uses them); by default the loader owns and disposes them.
    /// </param>
    public TensorDataLoader(Tensor[] inputs, Tensor target, int batchSize, bool shuffle, int seed = 0, int rank = 0, int worldSize = 1, bool leaveOpen = false)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize));
        if (inputs.Any(t => t.shape[0] != target.shape[0]))
            throw new ArgumentException("inputs and target must have the same number of examples");
        _inputs = inputs;
        _target = target;
        _count = target.size(0);
        BatchSize = batchSize;
        Shuffle = shuffle;
        Seed = seed;
        Rank = rank;
        WorldSize = worldSize;
        GlobalBatch = batchSize * worldSize;
        KeptMultiple = worldSize;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Disposes the input and target tensors, unless the loader was made with <c>leaveOpen</c>.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_leaveOpen) return;
        foreach (var t in _inputs) t.Dispose();
        _target.Dispose();
    }

    /// <summary>Examples per batch on this rank (the most any rank takes, when <see cref="Regroup"/> split the global batch unevenly).</summary>
    public int BatchSize { get; private set; }

    /// <summary>
    /// Examples per step over all ranks: global batch k is the block [k·G, (k+1)·G) of the epoch's
    /// permutation (the last one shorter when the kept examples are not a multiple of G), and rank r
    /// takes its entries r, r + WorldSize, ... Made as <c>batchSize × worldSize</c>; a run resumed on
    /// another number of ranks keeps its checkpoint's (<see cref="Regroup"/>).
    /// </summary>
    public int GlobalBatch { get; private set; }

    /// <summary>
    /// Each epoch uses the first <c>Count − Count mod KeptMultiple</c> entries of its permutation
    /// (made as the world size, so that every rank gets the same number of examples; a resumed run
    /// keeps its checkpoint's, so it leaves out the same examples as the uninterrupted run).
    /// </summary>
    public int KeptMultiple { get; private set; }

    /// <summary>
    /// Why <paramref name="globalBatch"/> and <paramref name="keptMultiple"/> cannot be laid out
    /// over this loader's <see cref="WorldSize"/> ranks (a rank would get no example of some batch,
    /// and an all-reduce that it cannot join), or null when they can.
    /// </summary>
    public string? RegroupProblem(int globalBatch, int keptMultiple)
    {
        if (globalBatch < 1 || keptMultiple < 1) return "the global batch and the kept multiple must be positive";
        if (globalBatch < WorldSize) return $"a global batch of {globalBatch} examples cannot give each of {WorldSize} ranks an example";
        long last = KeptExamples(keptMultiple) % globalBatch;
        if (last > 0 && last < WorldSize) return $"the epoch's last global batch has {last} example{(last == 1 ? "" : "s")}, fewer than the {WorldSize} ranks";
        return null;
    }

    /// <summary>
    /// Lays the epochs out as global batches of <paramref name="globalBatch"/> examples over this
    /// loader's ranks, each epoch keeping the first <c>Count − Count mod keptMultiple</c> entries of
    /// its permutation: what a checkpoint written by another number of ranks asks for, so that the
    /// resumed run trains on the same examples in the same global batches. When the ranks do not
    /// divide a batch, the first ranks take one example more (e.g. 32 over 3 ranks: 11 + 11 + 10).
    /// </summary>
    /// <exception cref="ArgumentException">See <see cref="RegroupProblem"/>.</exception>
    public void Regroup(int globalBatch, int keptMultiple)
    {
        if (RegroupProblem(globalBatch, keptMultiple) is { } why) throw new ArgumentException(why);
        GlobalBatch = globalBatch;
        KeptMultiple = keptMultiple;
        BatchSize = (globalBatch + WorldSize - 1) / WorldSize;
    }

    /// <summary>Examples in global batch <paramref name="batch"/> of an epoch, over all ranks.</summary>
    public long GlobalBatchExamples(int batch) => Math.Min(GlobalBatch, EpochExamples - (long)batch * GlobalBatch);

    /// <summary>Examples every epoch trains on, over all ranks.</summary>
    public long EpochExamples => KeptExamples(KeptMultiple);

    private long KeptExamples(int multiple) => Count - Count % multiple;

    /// <summary>
    /// Gather the next batch on a background thread while the model works on the current one.
    /// Off by default: for tensors already in memory a gather costs microseconds, and on a
    /// 2-core machine the extra thread competes with libtorch's own (bench/run learner-overhead:
    /// 4% overhead without it, 10-15% with it). Worth it where making a batch is costly (decoding).
    /// Model code run with prefetch on must not rely on TorchSharp's implicit temporaries
    /// (see docs/training.md): the other thread's allocations can trigger a collection mid-call.
    /// </summary>
    public bool Prefetch { get; init; }

    /// <summary>
    /// Whether a prefetch thread has a core of its own: libtorch runs fewer threads than the machine
    /// has cores. Measured with the small CNN on Fashion-MNIST with augmentation (`HpcLearn.Bench cnn`,
    /// 2 cores): with 2 libtorch threads, prefetching cost 7-13% (3,764-3,925 images/s against
    /// 4,203-4,370 without); with 1 thread it made no clear difference (2,233-2,429 against 2,335-2,364).
    /// </summary>
    public static bool PrefetchHasSpareCore => torch.get_num_threads() < Environment.ProcessorCount;

    /// <summary>
    /// Turns each gathered batch into the one the model sees (e.g. image augmentation and
    /// normalisation), given (batch, epoch, batch index): it may return the same batch or a new
    /// one (disposing the old). Runs on the prefetch thread when <see cref="Prefetch"/> is on, so
    /// it must be thread-safe and draw its randomness from (epoch, batch index), which keeps a
    /// resumed run's batches identical to an uninterrupted run's.
    /// </summary>
    public Func<Batch, int, int, Batch>? Transform { get; init; }

    /// <summary>Whether each epoch is reshuffled.</summary>
    public bool Shuffle { get; }

    /// <summary>Seed of the shuffle.</summary>
    public int Seed { get; }

    /// <summary>This process's shard.</summary>
    public int Rank { get; }

    /// <summary>Number of shards.</summary>
    public int WorldSize { get; }

    /// <summary>Total examples in the data set (all shards).</summary>
    public long Count => _count;

    /// <summary>The full input tensors (for prediction over everything).</summary>
    public IReadOnlyList<Tensor> Inputs => _inputs;

    /// <summary>The full target tensor.</summary>
    public Tensor Target => _target;

    /// <summary>Batches per epoch on this rank.</summary>
    public int BatchesPerEpoch => (int)((EpochExamples + GlobalBatch - 1) / GlobalBatch);

    /// <summary>
    /// Examples this rank reads per epoch: the same on every rank (see <see cref="ShardIndices"/>),
    /// unless <see cref="Regroup"/> split the global batch unevenly.
    /// </summary>
    public long ShardSize
    {
        get
        {
            long full = EpochExamples / GlobalBatch, last = EpochExamples % GlobalBatch;
            return full * RankShare(GlobalBatch) + RankShare(last);
        }
    }

    // This rank's entries of a global batch of n: r, r + WorldSize, ...
    private long RankShare(long n) => n <= Rank ? 0 : (n - Rank + WorldSize - 1) / WorldSize;

    /// <summary>The example indices this rank reads in <paramref name="epoch"/>, in order.</summary>
    /// <remarks>
    /// Every rank computes the whole epoch's permutation (Fisher–Yates driven by SplitMix64, see
    /// <see cref="EpochPermutation"/>) and keeps every WorldSize-th entry from its rank on. That
    /// costs O(Count) per rank per epoch whatever the rank count, so it has to be cheap: about
    /// 0.2 ms for 18,000 examples, where <see cref="Random.NextInt64(long)"/> and LINQ took 1.1 ms,
    /// which is 1.5% of a two-rank tabular epoch.
    /// </remarks>
    public long[] ShardIndices(int epoch)
    {
        long n = Count;
        var order = new long[n];
        for (long i = 0; i < n; i++) order[i] = i;
        if (Shuffle) EpochPermutation.Shuffle(order, EpochPermutation.Seed(Seed, epoch));
        if (WorldSize == 1 && KeptMultiple == 1) return order;
        // Strided shards: every rank takes the same number of steps (a rank with one batch more
        // would wait forever in the all-reduce). The Count mod KeptMultiple examples at the end of
        // each epoch's permutation are left out of that epoch only; the next epoch's permutation
        // puts others there. Global batch k is the block [k·G, (k+1)·G) of the permutation and this
        // rank takes its entries Rank, Rank + WorldSize, ...: with G = WorldSize × BatchSize that is
        // every WorldSize-th entry of the kept permutation.
        var shard = new long[ShardSize];
        long at = 0;
        for (long start = 0; start < EpochExamples; start += GlobalBatch)
        {
            long end = Math.Min(start + GlobalBatch, EpochExamples);
            for (long i = start + Rank; i < end; i += WorldSize) shard[at++] = order[i];
        }
        return shard;
    }

    // Where batch b of this rank's shard starts and how long it is.
    private (int Start, int Length) BatchRange(int b)
    {
        long before = b * RankShare(GlobalBatch);   // every batch before the last is full
        return ((int)before, (int)RankShare(GlobalBatchExamples(b)));
    }

    /// <summary>
    /// The batches of one epoch, in order (with <see cref="Prefetch"/>, gathered one ahead on a background thread);
    /// the caller disposes each batch.
    /// </summary>
    /// <param name="epoch">0-based epoch: fixes the order.</param>
    /// <param name="skipBatches">Batches of this epoch already done (a resumed mid-epoch checkpoint's data cursor).</param>
    /// <exception cref="ObjectDisposedException">The loader was disposed.</exception>
    public IEnumerable<Batch> Epoch(int epoch, int skipBatches = 0)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        long[] idx = ShardIndices(epoch);
        int batches = BatchesPerEpoch;
        if (!Prefetch)
        {
            for (int b = skipBatches; b < batches; b++)
            {
                var (start, len) = BatchRange(b);
                yield return Gather(idx.AsSpan(start, len).ToArray(), epoch, b);
            }
            yield break;
        }
        using var queue = new BlockingCollection<Batch>(boundedCapacity: 2);
        using var cancel = new CancellationTokenSource();
        var producer = Task.Run(() =>
        {
            try
            {
                for (int b = skipBatches; b < batches && !cancel.IsCancellationRequested; b++)
                {
                    var (start, len) = BatchRange(b);
                    var batch = Gather(idx.AsSpan(start, len).ToArray(), epoch, b);
                    try { queue.Add(batch, cancel.Token); }
                    catch { batch.Dispose(); throw; } // the consumer left early: nobody else will dispose it
                }
            }
            catch (OperationCanceledException) { }
            finally { queue.CompleteAdding(); }
        });
        try
        {
            foreach (var batch in queue.GetConsumingEnumerable()) yield return batch;
        }
        finally
        {
            cancel.Cancel();
            try { producer.Wait(); } catch (AggregateException) { }
            while (queue.TryTake(out var left)) left.Dispose();
        }
    }

    private Batch Gather(long[] rows, int epoch, int batchIndex)
    {
        Batch batch;
        using (var index = tensor(rows, dtype: ScalarType.Int64))
        {
            var inputs = _inputs.Select(t => t.index_select(0, index)).ToArray();
            batch = new Batch(inputs, _target.index_select(0, index));
        }
        return Transform is null ? batch : Transform(batch, epoch, batchIndex);
    }
}
