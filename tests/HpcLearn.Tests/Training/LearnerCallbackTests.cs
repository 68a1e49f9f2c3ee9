using HpcLearn.Runs;
using HpcLearn.Training;
using TorchSharp;
using Xunit;

namespace HpcLearn.Tests.Training;

public sealed class LearnerCallbackTests
{
    private sealed class Recorder(string name, int order, List<string> log) : Callback
    {
        public string Name => name;
        public override int Order => order;
        public override void OnFitStart(Learner learner) => log.Add(name);
    }

    [Fact]
    public void Callbacks_run_by_order_then_by_insertion()
    {
        using var scope = torch.NewDisposeScope();
        var log = new List<string>();
        var callbacks = new[]
        {
            new Recorder("a50", 50, log), new Recorder("b10", 10, log), new Recorder("c50", 50, log),
            new Recorder("d90", 90, log), new Recorder("e10", 10, log),
        };
        using var t = new Tiny(callbacks: callbacks);
        t.Learner.AddCallback(new Recorder("f50", 50, log));
        t.Learner.AddCallback(new Recorder("g0", 0, log));

        t.Learner.Fit(1);

        string[] expected = ["g0", "b10", "e10", "a50", "c50", "f50", "d90"];
        Assert.Equal(expected, log);
        Assert.Equal(expected, t.Learner.Callbacks.Cast<Recorder>().Select(r => r.Name));
    }

    private sealed class StopAfterBatches(int batches) : Callback
    {
        public int Seen { get; private set; }

        public override LoopAction OnBatchEnd(Learner learner, double loss) => ++Seen == batches ? LoopAction.Stop : LoopAction.Continue;
    }

    [Fact]
    public void Stop_from_OnBatchEnd_ends_training_mid_epoch_and_sets_the_reason()
    {
        using var scope = torch.NewDisposeScope();
        var stop = new StopAfterBatches(3);
        using var t = new Tiny(callbacks: [stop]);

        t.Learner.Fit(5);

        Assert.Equal(3, stop.Seen);
        Assert.Equal(3L, t.Learner.Step);
        Assert.Equal(nameof(StopAfterBatches), t.Learner.StopReason);
        Assert.False(t.Learner.Diverged);
    }

    [Fact]
    public void Stop_from_OnEpochEnd_ends_after_that_epoch_and_keeps_the_plan()
    {
        using var scope = torch.NewDisposeScope();
        using var t = new Tiny(callbacks: [new StopAtEpoch(2)]);

        t.Learner.Fit(5);

        Assert.Equal(2, t.Learner.Epoch);
        Assert.Equal(2, t.Learner.History.Count);
        Assert.Equal(nameof(StopAtEpoch), t.Learner.StopReason);
        Assert.Equal(5, t.Learner.Plan!.LastEpoch);
    }
}
