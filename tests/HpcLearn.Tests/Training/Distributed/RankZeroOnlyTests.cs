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

    // Runs before the wrapped callback in each batch (lower order), to change what "rank 0" will send.
    private sealed class CountThenStopSignal(Action onBatch) : Callback
    {
        public override int Order => CallbackOrder.Default;
        public override LoopAction OnBatchEnd(Learner learner, double loss) { onBatch(); return LoopAction.Continue; }
    }
}
