using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;

namespace HpcLearn.Tests.Training;

/// <summary>A CancellationToken stops a fit cleanly between batches, as a stop signal does, and Continue picks it up.</summary>
[Collection("torch-rng")]
public sealed class LearnerCancellationTests
{
    /// <summary>Cancels its token at the end of the given batch (counted over the whole fit), and records what OnFitEnd saw.</summary>
    private sealed class CancelAfter(CancellationTokenSource source, long batches) : Callback
    {
        public bool? InterruptedAtFitEnd { get; private set; }

        public override LoopAction OnBatchEnd(Learner learner, double loss)
        {
            if (learner.Step == batches) source.Cancel();
            return LoopAction.Continue;
        }

        public override void OnFitEnd(Learner learner) => InterruptedAtFitEnd = learner.Interrupted;
    }

    [Fact]
    public void A_token_cancelled_after_3_batches_stops_after_3_batches_and_Continue_finishes_the_fit_as_if_uninterrupted()
    {
        TorchSharp.torch.manual_seed(11);
        using var whole = new Tiny();
        whole.Learner.Fit(2);

        TorchSharp.torch.manual_seed(11);
        using var source = new CancellationTokenSource();
        var cancel = new CancelAfter(source, 3);
        using var t = new Tiny(callbacks: [cancel]);
        t.Learner.Fit(2, source.Token);

        Assert.Equal(3, t.Learner.Step);
        Assert.Equal(0, t.Learner.Epoch);
        Assert.Equal(3, t.Learner.Progress.Batches);
        Assert.True(t.Learner.Interrupted);
        Assert.Equal("cancelled", t.Learner.StopReason);
        Assert.True(cancel.InterruptedAtFitEnd);   // the callbacks' fit end ran (a checkpoint callback saves there)

        t.Learner.Continue();

        Assert.False(t.Learner.Interrupted);
        Assert.Null(t.Learner.StopReason);
        Assert.Equal((2, 2L * Tiny.Batches), (t.Learner.Epoch, t.Learner.Step));
        Assert.Equal(2, t.Learner.History.Count);
        Tiny.AssertBitwiseEqual(Tiny.Bits(whole.Model), Tiny.Bits(t.Model));
    }

    [Fact]
    public void A_token_cancelled_during_the_last_batch_leaves_the_fit_complete()
    {
        using var source = new CancellationTokenSource();
        using var t = new Tiny(callbacks: [new CancelAfter(source, Tiny.Batches)]);
        t.Learner.Fit(1, source.Token);
        Assert.Equal(1, t.Learner.Epoch);
        Assert.False(t.Learner.Interrupted);
        Assert.Null(t.Learner.StopReason);
    }

    [Fact]
    public void A_token_cancelled_before_the_fit_runs_no_batch()
    {
        using var t = new Tiny();
        t.Learner.Fit(1, new CancellationToken(canceled: true));
        Assert.Equal((0, 0L), (t.Learner.Epoch, t.Learner.Step));
        Assert.True(t.Learner.Interrupted);
        Assert.NotNull(t.Learner.Plan);
    }

    [Fact]
    public void A_cancelled_learning_rate_test_restores_the_model_and_throws()
    {
        using var t = new Tiny();
        var before = Tiny.Bits(t.Model);
        using var source = new CancellationTokenSource();
        source.Cancel();
        Assert.Throws<OperationCanceledException>(() => t.Learner.FindLearningRate(steps: 20, cancellationToken: source.Token));
        Tiny.AssertBitwiseEqual(before, Tiny.Bits(t.Model));
    }

    [Theory]
    [InlineData(nameof(Learner.Epoch))]
    [InlineData(nameof(Learner.Step))]
    [InlineData(nameof(Learner.Plan))]
    [InlineData(nameof(Learner.Progress))]
    [InlineData(nameof(Learner.StopReason))]
    [InlineData(nameof(Learner.Diverged))]
    [InlineData(nameof(Learner.Interrupted))]
    [InlineData(nameof(Learner.History))]
    public void The_training_state_is_read_only_from_outside(string property)
    {
        var p = typeof(Learner).GetProperty(property)!;
        Assert.True(p.SetMethod is null || !p.SetMethod.IsPublic, $"{property} has a public setter");
        Assert.False(p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(List<>), $"{property} is a mutable list");
    }
}
