using HpcLearn.Data;
using HpcLearn.Training;
using TorchSharp;
using Xunit;

namespace HpcLearn.Tests.Training;

public sealed class LrFinderTests
{
    [Fact]
    public void Returns_increasing_rates_and_a_suggestion_inside_the_range()
    {
        using var scope = torch.NewDisposeScope();
        using var t = new Tiny();

        var r = t.Learner.FindLearningRate(startLr: 1e-6, endLr: 1.0, steps: 40);

        Assert.True(r.LearningRates.Length >= 3, $"only {r.LearningRates.Length} rates");
        Assert.Equal(r.LearningRates.Length, r.Losses.Length);
        Assert.Equal(1e-6, r.LearningRates[0], 1e-15);
        for (int i = 1; i < r.LearningRates.Length; i++) Assert.True(r.LearningRates[i] > r.LearningRates[i - 1]);
        Assert.All(r.LearningRates, lr => Assert.InRange(lr, 1e-6, 1.0 + 1e-12));
        Assert.All(r.Losses, l => Assert.True(double.IsFinite(l)));
        Assert.Contains(r.Suggestion, r.LearningRates);
        // The loss falls over the range: the suggestion is not the very first (smallest) rate.
        Assert.True(r.Suggestion > 1e-6);
        Assert.True(r.Losses.Min() < r.Losses[0]);
    }

    [Fact]
    public void Leaves_parameters_and_optimizer_state_exactly_as_they_were()
    {
        using var scope = torch.NewDisposeScope();
        using var t = new Tiny(new TrainOptions { Lr = 1e-2, Schedule = ScheduleKind.Constant });
        t.Learner.Fit(1); // non-trivial AdamW moments and step counts
        var weights = Tiny.Bits(t.Model);
        var optimizer = Tiny.OptimizerBytes(t.Learner);
        double lr = t.Learner.LearningRate;

        t.Learner.FindLearningRate(1e-5, 10, steps: 30);

        Tiny.AssertBitwiseEqual(weights, Tiny.Bits(t.Model));
        Assert.Equal(optimizer, Tiny.OptimizerBytes(t.Learner));
        Assert.Equal(lr, t.Learner.LearningRate);
        Assert.Equal(1, t.Learner.Epoch);
        Assert.Equal(Tiny.Batches, t.Learner.Step);
    }

    [Fact]
    public void Under_data_parallelism_the_curve_is_the_mean_over_ranks_so_every_rank_suggests_the_same_rate()
    {
        using var scope = torch.NewDisposeScope();
        using var t = new Tiny();
        var alone = t.Learner.FindLearningRate(1e-5, 1.0, steps: 30);
        // Rank 0 of 2 whose peer saw three times this rank's loss on each batch (same batch size):
        // the mean over ranks is twice the local loss. Same model, restored by the first test.
        var comm = new Distributed.FakeCommunicator(0, 2) { PeerSum = (i, v) => i == 0 ? 3 * v : v };
        var ddp = new Learner(t.Model,
            new TensorDataLoader([t.TrainX], t.TrainY, Tiny.BatchSize, shuffle: true, seed: 7), null,
            Tiny.Mse, Tiny.ConstantLr) { Communicator = comm };

        var r = ddp.FindLearningRate(1e-5, 1.0, steps: 30);

        Assert.Equal(alone.LearningRates, r.LearningRates);
        for (int i = 0; i < r.Losses.Length; i++) Assert.Equal(2 * alone.Losses[i], r.Losses[i], 1e-9 * alone.Losses[i]);
        Assert.Equal(alone.Suggestion, r.Suggestion);
        Assert.Equal(r.LearningRates.Length, comm.Calls.Count(c => c == "sum double[2]"));
    }
}
