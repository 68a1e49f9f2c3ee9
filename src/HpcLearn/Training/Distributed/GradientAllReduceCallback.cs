using System.Diagnostics;
using HpcLearn.Cluster;
using TorchSharp;
using TorchSharp.Modules;

using HpcLearn.Runs;

namespace HpcLearn.Training.Distributed;

/// <summary>
/// Data parallelism's one step: after backward, every rank's gradients are replaced by their
/// mean over all ranks, so every rank takes the same optimiser step and the weights stay
/// identical. Gradients live in flat buckets (25 MB by default): after the first step each
/// parameter's <c>.grad</c> is a view into its bucket, so backward accumulates straight into it
/// and a step costs one in-place all-reduce (sum) and one division by the rank count per bucket,
/// with no copies. A gradient that something replaced is copied in and its view restored.
/// With per-rank batches of B, the result is the gradient of the mean loss over the global batch
/// of ranks × B examples, the same as one process with that batch.
/// Runs first among the gradient callbacks (<see cref="CallbackOrder.GradientReduce"/>), so
/// clipping sees the reduced gradient on every rank.
/// </summary>
public sealed class GradientAllReduceCallback : Callback, IDisposable
{
    /// <summary>Default bucket size: 25 MB, as in PyTorch's DistributedDataParallel.</summary>
    public const long DefaultBucketBytes = 25L << 20;

    private readonly ICommunicator _comm;
    private readonly long _bucketBytes;
    private readonly Stopwatch _clock = new();
    private GradientBuckets? _buckets;

    /// <summary>Creates the callback over <paramref name="communicator"/>.</summary>
    /// <param name="communicator">The ranks to average over (with one rank the callback does nothing).</param>
    /// <param name="bucketBytes">Largest bucket in bytes (a bigger parameter gets a bucket of its own).</param>
    public GradientAllReduceCallback(ICommunicator communicator, long bucketBytes = DefaultBucketBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketBytes, 8);
        _comm = communicator;
        _bucketBytes = bucketBytes;
    }

    /// <inheritdoc />
    public override int Order => CallbackOrder.GradientReduce;

    /// <summary>Steps whose gradients were reduced.</summary>
    public long Steps { get; private set; }

    /// <summary>Total time spent copying and all-reducing gradients.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>All-reduces per step (buckets), once the first step has run.</summary>
    public int Buckets => _buckets?.Count ?? 0;

    /// <summary>Steps that copied gradients into the buckets (the first; then only after a gradient was replaced).</summary>
    public long CopySteps => _buckets?.CopySteps ?? 0;

    /// <summary>
    /// Checks that every rank will take the same number of steps: strided shards differ by at most
    /// one example, which can still give one rank an extra, last batch, and then an all-reduce
    /// that no other rank joins (the job would hang). Refused up front instead.
    /// </summary>
    public override void OnFitStart(Learner learner)
    {
        if (RankAgreement.Agree(_comm, [learner.Train.BatchesPerEpoch, learner.Progress.Batches], out int which, out double min, out double max)) return;
        throw which == 0
            ? new UserError($"the {learner.Train.Count} training rows split into {min} to {max} batches per epoch across the {_comm.Size} ranks, " +
                            $"so one rank would wait for ever for the others; use a number of training rows that is a multiple of ranks × batch size ({_comm.Size} × {learner.Train.BatchSize}), or change the batch size")
            : new InvalidOperationException($"ranks resume at different batches of the epoch ({min} to {max}); every rank must restore the same checkpoint");
    }

    /// <inheritdoc />
    public override void AfterBackward(Learner learner) => Reduce(learner.Optimizer.Parameters);

    /// <summary>Averages the gradients of <paramref name="parameters"/> over the ranks (for loops without a <see cref="Learner"/>).</summary>
    public void Reduce(IReadOnlyList<Parameter> parameters)
    {
        if (_comm.Size == 1) return;
        _clock.Start();
        try
        {
            if (_buckets is null || !_buckets.Matches(parameters))
            {
                _buckets?.Dispose();
                _buckets = GradientBuckets.Build(parameters, _bucketBytes);
                RankAgreement.Check(_comm, _buckets.Fingerprint(), "the trainable parameters (count, sizes)");
            }
            _buckets.Reduce(parameters, _comm);
            Steps++;
        }
        finally
        {
            _clock.Stop();
        }
    }

    /// <summary>Frees the buckets.</summary>
    public void Dispose()
    {
        _buckets?.Dispose();
        _buckets = null;
    }
}
