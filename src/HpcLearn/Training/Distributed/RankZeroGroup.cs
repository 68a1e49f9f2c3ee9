using HpcLearn.Cluster;

using HpcLearn.Runs;

namespace HpcLearn.Training.Distributed;

/// <summary>
/// Several callbacks that run on rank 0 only (see <see cref="RankZeroOnly"/>), with one broadcast
/// per batch and per epoch for all of them instead of one each. Add the members (from
/// <see cref="Wrap"/>) and then the group itself to the learner: the group runs after every other
/// callback and sends rank 0's decision, naming the first member that asked to stop, so every
/// rank stops at the same step and reports the same reason.
/// <para>
/// Each broadcast is also a point where the other ranks wait for rank 0, which does the writing:
/// a run's four standard callbacks (guard, metrics log, checkpoints, progress) made four per step.
/// </para>
/// </summary>
public sealed class RankZeroGroup : Callback
{
    private readonly ICommunicator _comm;
    private readonly List<RankZeroOnly> _members = new();
    private int _stopper = -1;   // member that asked to stop in this batch or epoch end (rank 0), or -1

    /// <summary>Creates an empty group over <paramref name="communicator"/>.</summary>
    public RankZeroGroup(ICommunicator communicator) => _comm = communicator;

    /// <summary>Last: after every member has decided.</summary>
    public override int Order => int.MaxValue;

    /// <summary>Wraps <paramref name="inner"/> to run on rank 0 only, its decision sent by this group.</summary>
    public RankZeroOnly Wrap(Callback inner)
    {
        if (_members.Count == byte.MaxValue) throw new InvalidOperationException($"a group holds at most {byte.MaxValue} callbacks");
        var member = new RankZeroOnly(inner, _comm, this);
        _members.Add(member);
        return member;
    }

    // Called by a member on rank 0 when its callback asked to stop.
    internal void Stopped(RankZeroOnly member)
    {
        if (_stopper < 0) _stopper = _members.IndexOf(member);
    }

    /// <inheritdoc />
    public override LoopAction OnBatchEnd(Learner learner, double loss) => Agree(learner);

    /// <inheritdoc />
    public override LoopAction OnEpochEnd(Learner learner, EpochRecord record) => Agree(learner);

    private LoopAction Agree(Learner learner)
    {
        int stopper = _stopper;
        _stopper = -1;
        if (_comm.Size > 1)
        {
            Span<byte> message = [(byte)(stopper + 1)];   // 0: carry on; k: member k - 1 stopped
            _comm.Broadcast(message, 0);
            stopper = message[0] - 1;
        }
        if (stopper < 0) return LoopAction.Continue;
        // Name the member's callback as the reason, on every rank, rather than the group.
        learner.RequestStop(_members[stopper].Inner.GetType().Name);
        return LoopAction.Stop;
    }
}
