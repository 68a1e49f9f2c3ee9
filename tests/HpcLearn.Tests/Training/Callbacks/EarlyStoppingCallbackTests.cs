using HpcLearn.Config;
using HpcLearn.Runs;
using HpcLearn.Training;
using HpcLearn.Training.Callbacks;
using TorchSharp;
using Xunit;

namespace HpcLearn.Tests.Training.Callbacks;

public sealed class EarlyStoppingCallbackTests
{
    private static EpochRecord Record(int epoch, double validLoss)
        => new(epoch, epoch * 8L, 1.0, validLoss, new Dictionary<string, double>(), 1e-3, 0.1);

    [Fact]
    public void Stops_after_patience_epochs_without_improvement_and_an_improvement_resets_the_count()
    {
        using var t = new Tiny();
        var es = new EarlyStoppingCallback(patience: 2);
        es.OnFitStart(t.Learner);
        double[] losses = [1.0, 0.9, 0.95, 0.85, 0.9, 0.9];
        var actions = losses.Select((l, i) => es.OnEpochEnd(t.Learner, Record(i + 1, l))).ToArray();

        Assert.Equal([LoopAction.Continue, LoopAction.Continue, LoopAction.Continue, LoopAction.Continue, LoopAction.Continue, LoopAction.Stop], actions);
        Assert.Equal("early stopping: validation loss has not improved for 2 epochs (best 0.85)", t.Learner.StopReason);
    }

    [Fact]
    public void Min_delta_counts_tiny_improvements_as_none()
    {
        using var t = new Tiny();
        var es = new EarlyStoppingCallback(patience: 1, minDelta: 0.1);
        es.OnFitStart(t.Learner);

        Assert.Equal(LoopAction.Continue, es.OnEpochEnd(t.Learner, Record(1, 1.0)));
        Assert.Equal(LoopAction.Stop, es.OnEpochEnd(t.Learner, Record(2, 0.95)));
    }

    private static readonly TrainOptions Frozen = Tiny.ConstantLr with { LearningRate = 0 };

    [Fact]
    public void In_a_fit_whose_validation_loss_never_improves_it_stops_after_patience_epochs()
    {
        using var scope = torch.NewDisposeScope();
        // Learning rate 0: the weights, and so the validation loss, never change.
        using var t = new Tiny(Frozen, callbacks: [new EarlyStoppingCallback(patience: 2)]);

        t.Learner.Fit(10);

        Assert.Equal(3, t.Learner.History.Count);
        Assert.StartsWith("early stopping: validation loss has not improved for 2 epochs", t.Learner.StopReason);
    }

    [Fact]
    public void A_later_fit_picks_up_the_count_from_the_history()
    {
        using var scope = torch.NewDisposeScope();
        using var t = new Tiny(Frozen, callbacks: [new EarlyStoppingCallback(patience: 3)]);

        t.Learner.Fit(2);   // epoch 1 best, epoch 2 one bad epoch
        Assert.Null(t.Learner.StopReason);
        t.Learner.Fit(10);  // epochs 3 and 4 are the second and third

        Assert.Equal(4, t.Learner.History.Count);
        Assert.NotNull(t.Learner.StopReason);
    }

    [Fact]
    public void Patience_must_be_positive() => Assert.Throws<ArgumentOutOfRangeException>(() => new EarlyStoppingCallback(0));
}
