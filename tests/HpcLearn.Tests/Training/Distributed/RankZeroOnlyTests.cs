using HpcLearn.Runs;
using HpcLearn.Training;
using HpcLearn.Training.Distributed;
using HpcLearn.Tests.Training;
using TorchSharp;
using Xunit;

namespace HpcLearn.Tests.Training.Distributed;

public sealed class RankZeroOnlyTests
{
    private sealed class Writer(int stopAfterBatches) : Callback
    {
        public int Batches { get; private set; }
        public int Epochs { get; private set; }
        public bool Started { get; private set; }
        public override int Order => CallbackOrder.Checkpoint;
        public override void OnFitStart(Learner learner) => Started = true;
        public override LoopAction OnBatchEnd(Learner learner, double loss) => ++Batches == stopAfterBatches ? LoopAction.Stop : LoopAction.Continue;
        public override LoopAction OnEpochEnd(Learner learner, EpochRecord record) { Epochs++; return LoopAction.Continue; }
    }

    [Fact]
    public void On_rank_zero_the_callback_runs_and_its_stop_is_sent_to_the_others()
    {
        using var scope = torch.NewDisposeScope();
        var writer = new Writer(stopAfterBatches: 3);
        var comm = new FakeCommunicator(0, 2);
        using var t = new Tiny(callbacks: [new RankZeroOnly(writer, comm)]);

        t.Learner.Fit(2);

        Assert.True(writer.Started);
        Assert.Equal(3, writer.Batches);
        Assert.Equal(3, comm.Calls.Count(c => c == "broadcast byte[1] from 0")); // one per batch until the stop
        Assert.Equal("Writer", t.Learner.StopReason);
    }

    [Fact]
    public void On_other_ranks_the_callback_never_runs_but_they_stop_when_rank_zero_says_so()
    {
        using var scope = torch.NewDisposeScope();
        var writer = new Writer(stopAfterBatches: 1);
        var comm = new FakeCommunicator(1, 2);
        int batches = 0;
        comm.RootBytes = [0];
        var wrapped = new RankZeroOnly(writer, comm);
        using var t = new Tiny(callbacks: [wrapped, new CountThenStopSignal(() => { if (++batches == 5) comm.RootBytes = [1]; })]);

        t.Learner.Fit(2);

        Assert.False(wrapped.Active);
        Assert.Equal(CallbackOrder.Checkpoint, wrapped.Order);
        Assert.False(writer.Started);
        Assert.Equal(0, writer.Batches);
        Assert.Equal(5, t.Learner.Progress.Batches); // rank 0's stop arrived with batch 5
        Assert.Equal("Writer", t.Learner.StopReason);
    }

    [Fact]
    public void A_group_sends_one_byte_per_batch_and_epoch_for_all_its_members()
    {
        using var scope = torch.NewDisposeScope();
        var comm = new FakeCommunicator(0, 2);
        var group = new RankZeroGroup(comm);
        var writers = new[] { new Writer(0), new Writer(0), new Writer(0) };
        var callbacks = writers.Select(w => (Callback)group.Wrap(w)).Append(group).ToList();
        using var t = new Tiny(callbacks: callbacks);

        t.Learner.Fit(2);

        int batches = writers[0].Batches;
        Assert.True(batches > 0);
        Assert.All(writers, w => Assert.Equal(batches, w.Batches));   // every member ran on rank 0
        Assert.All(writers, w => Assert.Equal(2, w.Epochs));
        Assert.Equal(batches + 2, comm.Calls.Count(c => c == "broadcast byte[1] from 0")); // not 3 per batch
        Assert.Null(t.Learner.StopReason);
    }

    [Fact]
    public void On_rank_zero_a_members_stop_is_sent_by_the_group_naming_that_member()
    {
        using var scope = torch.NewDisposeScope();
        var comm = new FakeCommunicator(0, 2);
        var sent = new List<byte>();
        var group = new RankZeroGroup(new Recording(comm, sent));
        using var t = new Tiny(callbacks: [group.Wrap(new Quiet()), group.Wrap(new Writer(stopAfterBatches: 3)), group]);

        t.Learner.Fit(2);

        Assert.Equal([0, 0, 2], sent);   // member 1 (0-based) stopped in batch 3
        Assert.Equal(3, t.Learner.Progress.Batches);
        Assert.Equal("Writer", t.Learner.StopReason);
    }

    [Fact]
    public void On_other_ranks_the_members_never_run_and_the_group_stops_them_with_rank_zeros_reason()
    {
        using var scope = torch.NewDisposeScope();
        var comm = new FakeCommunicator(1, 2) { RootBytes = [0] };
        var group = new RankZeroGroup(comm);
        var writer = new Writer(stopAfterBatches: 1);
        int batches = 0;
        using var t = new Tiny(callbacks: [group.Wrap(new Quiet()), group.Wrap(writer), group,
            new CountThenStopSignal(() => { if (++batches == 4) comm.RootBytes = [2]; })]);

        t.Learner.Fit(2);

        Assert.False(writer.Started);
        Assert.Equal(0, writer.Batches);
        Assert.Equal(4, t.Learner.Progress.Batches);
        Assert.Equal("Writer", t.Learner.StopReason);
        Assert.Equal(int.MaxValue, group.Order);
    }

    private sealed class Quiet : Callback;

    // Passes everything to a fake communicator and keeps the bytes rank 0 broadcasts.
    private sealed class Recording(FakeCommunicator inner, List<byte> sent) : HpcLearn.Cluster.ICommunicator
    {
        public int Rank => inner.Rank;
        public int Size => inner.Size;
        public string Name => inner.Name;
        public void AllReduceSum(Span<float> data) => inner.AllReduceSum(data);
        public void AllReduceSum(Span<double> data) => inner.AllReduceSum(data);
        public void AllReduceMax(Span<float> data) => inner.AllReduceMax(data);
        public void AllReduceMax(Span<double> data) => inner.AllReduceMax(data);
        public void Broadcast(Span<float> data, int root) => inner.Broadcast(data, root);
        public void Broadcast(Span<double> data, int root) => inner.Broadcast(data, root);
        public void Broadcast(Span<byte> data, int root) { inner.Broadcast(data, root); sent.AddRange(data.ToArray()); }
        public void Barrier() => inner.Barrier();
        public void Dispose() => inner.Dispose();
    }

    // Runs before the wrapped callback in each batch (lower order), to change what "rank 0" will send.
    private sealed class CountThenStopSignal(Action onBatch) : Callback
    {
        public override int Order => CallbackOrder.Default;
        public override LoopAction OnBatchEnd(Learner learner, double loss) { onBatch(); return LoopAction.Continue; }
    }
}
