using HpcLearn.Cluster;

using HpcLearn.Runs;

namespace HpcLearn.Training.Distributed;

/// <summary>
/// Runs a callback on rank 0 only: progress, metrics logs, checkpoints and artifacts are written
/// once, and the other ranks stay quiet. A wrapped callback's decision to stop is broadcast from
/// rank 0 after each batch and epoch (one byte), so all ranks stop at the same step and none is
/// left waiting in an all-reduce. Wrap only callbacks that write or decide; never ones that
/// change gradients or weights, which must run on every rank. To wrap several, use a
/// <see cref="RankZeroGroup"/>: one broadcast for all of them.
/// </summary>
public sealed class RankZeroOnly : Callback
{
    private readonly ICommunicator _comm;
    private readonly RankZeroGroup? _group;

    /// <summary>Wraps <paramref name="inner"/> so that it runs on rank 0 of <paramref name="communicator"/> only.</summary>
    public RankZeroOnly(Callback inner, ICommunicator communicator)
    {
        Inner = inner;
        _comm = communicator;
    }

    // A member of a group, which sends the decision for all its members.
    internal RankZeroOnly(Callback inner, ICommunicator communicator, RankZeroGroup group) : this(inner, communicator) => _group = group;

    /// <summary>The wrapped callback.</summary>
    public Callback Inner { get; }

    /// <summary>True on the rank that runs the wrapped callback.</summary>
    public bool Active => _comm.Rank == 0;

    /// <inheritdoc />
    public override int Order => Inner.Order;

    /// <inheritdoc />
    public override void OnFitStart(Learner learner) { if (Active) Inner.OnFitStart(learner); }

    /// <inheritdoc />
    public override void OnEpochStart(Learner learner) { if (Active) Inner.OnEpochStart(learner); }

    /// <inheritdoc />
    public override void AfterBackward(Learner learner) { if (Active) Inner.AfterBackward(learner); }

    /// <inheritdoc />
    public override LoopAction OnBatchEnd(Learner learner, double loss)
        => Agree(learner, Active ? Inner.OnBatchEnd(learner, loss) : LoopAction.Continue);

    /// <inheritdoc />
    public override LoopAction OnEpochEnd(Learner learner, EpochRecord record)
        => Agree(learner, Active ? Inner.OnEpochEnd(learner, record) : LoopAction.Continue);

    /// <inheritdoc />
    public override void OnFitEnd(Learner learner) { if (Active) Inner.OnFitEnd(learner); }

    private LoopAction Agree(Learner learner, LoopAction mine)
    {
        if (_group is not null)
        {
            // Rank 0 stops here as a lone wrapper would; the group tells the others after the last callback.
            if (mine != LoopAction.Stop) return mine;
            _group.Stopped(this);
            learner.RequestStop(Inner.GetType().Name);
            return mine;
        }
        if (_comm.Size > 1)
        {
            Span<byte> stop = [(byte)(mine == LoopAction.Stop ? 1 : 0)];
            _comm.Broadcast(stop, 0);
            mine = stop[0] == 1 ? LoopAction.Stop : LoopAction.Continue;
        }
        // Name the wrapped callback as the reason, on every rank, rather than this wrapper.
        if (mine == LoopAction.Stop) learner.RequestStop(Inner.GetType().Name);
        return mine;
    }
}
