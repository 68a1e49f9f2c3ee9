using HpcLearn.Config;
using HpcLearn.Tests.Data;
using HpcLearn.Runs;
using HpcLearn.Training;
using HpcLearn.Training.Callbacks;
using TorchSharp;
using Xunit;

namespace HpcLearn.Tests.Training.Callbacks;

public sealed class DivergenceGuardCallbackTests
{
    [Fact]
    public void An_absurd_learning_rate_stops_training_and_keeps_the_last_good_checkpoint()
    {
        using var scope = torch.NewDisposeScope();
        using var dir = new TempDir();
        var store = new CheckpointStore(Path.Combine(dir.Path, "checkpoints"), keep: 5);
        var guard = new DivergenceGuardCallback();
        using var t = new Tiny(Tiny.ConstantLr with { Optimizer = OptimizerKind.Sgd },
            callbacks: [guard, new CheckpointCallback(store)]);
        t.Learner.Fit(2);
        byte[] good = File.ReadAllBytes(store.Latest()!.Path);

        t.Learner.FitOneCycle(3, maxLr: 1e6);

        Assert.True(t.Learner.Diverged);
        Assert.Equal(2, t.Learner.Epoch);
        Assert.Equal([1, 2], t.Learner.History.Select(r => r.Epoch));
        Assert.StartsWith("training diverged in epoch 3, step ", t.Learner.StopReason);
        Assert.Equal(guard.Message, t.Learner.StopReason);
        Assert.Equal(2, store.Latest()!.Epoch);
        Assert.Equal(good, File.ReadAllBytes(store.Latest()!.Path));
        Assert.Equal([2, 1], store.List().Select(c => c.Epoch));
    }

    [Fact]
    public void A_finite_loss_far_above_the_best_epoch_counts_as_divergence()
    {
        using var t = new Tiny();
        var guard = new DivergenceGuardCallback { ExplodeFactor = 100 };
        guard.OnEpochEnd(t.Learner, new EpochRecord(1, 8, 0.5, 0.5, new Dictionary<string, double>(), 1e-3, 0));

        Assert.Equal(LoopAction.Continue, guard.OnBatchEnd(t.Learner, 49.0));
        Assert.False(t.Learner.Diverged);
        Assert.Equal(LoopAction.Stop, guard.OnBatchEnd(t.Learner, 51.0));
        Assert.True(t.Learner.Diverged);
    }

    [Fact]
    public void A_NaN_loss_in_the_first_epoch_is_divergence()
    {
        using var t = new Tiny();
        var guard = new DivergenceGuardCallback();

        Assert.Equal(LoopAction.Continue, guard.OnBatchEnd(t.Learner, 1e30)); // no good epoch yet to compare with
        Assert.Equal(LoopAction.Stop, guard.OnBatchEnd(t.Learner, double.NaN));
        Assert.Contains("loss = NaN", guard.Message);
    }
}
