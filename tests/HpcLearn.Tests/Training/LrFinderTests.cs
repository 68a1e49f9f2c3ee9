using HpcLearn.Config;
using HpcLearn.Data;
using HpcLearn.Runs;
using HpcLearn.Training;
using TorchSharp;
using Xunit;

namespace HpcLearn.Tests.Training;

[Collection("torch-rng")] // seeds the model's initial weights from the global RNG
public sealed class LrFinderTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Returns_increasing_rates_and_a_suggestion_inside_the_range(int seed)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(seed);
        using var t = new Tiny();

        // 100 steps: the smoothed loss (a running mean with beta 0.98) needs them to show the fall
        // (over 40 it is still mostly the first batches' mean, and whether it dips is luck).
        var r = t.Learner.FindLearningRate(startLr: 1e-5, endLr: 1.0, steps: 100);

        Assert.True(r.LearningRates.Length >= 3, $"only {r.LearningRates.Length} rates");
        Assert.Equal(r.LearningRates.Length, r.Losses.Length);
        Assert.Equal(1e-5, r.LearningRates[0], 1e-15);
        for (int i = 1; i < r.LearningRates.Length; i++) Assert.True(r.LearningRates[i] > r.LearningRates[i - 1]);
        Assert.All(r.LearningRates, lr => Assert.InRange(lr, 1e-5, 1.0 + 1e-12));
        Assert.All(r.Losses, l => Assert.True(double.IsFinite(l)));
        Assert.Contains(r.Suggestion, r.LearningRates);
        // The loss falls over the range, and the suggestion sits where Adam learns this problem
        // (1e-3 to 0.3), not at the small rates that move nothing.
        Assert.True(r.Losses.Min() < 0.8 * r.Losses[0], $"{r.Losses[0]} -> {r.Losses.Min()}");
        Assert.InRange(r.Suggestion, 1e-3, 0.3);
    }

    [Fact]
    public void Leaves_parameters_and_optimizer_state_exactly_as_they_were()
    {
        using var scope = torch.NewDisposeScope();
        using var t = new Tiny(new TrainOptions { LearningRate = 1e-2, Schedule = ScheduleKind.Constant });
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

    [Fact]
    public void A_lucky_batch_at_the_start_of_the_range_does_not_become_the_suggestion()
    {
        // 100 rates from 1e-7 to 10. The smoothed loss sits at 0.7 until 1e-4, falls smoothly to
        // 0.3 at 1e-1 (fastest around 3e-3), then climbs; one batch early on read 0.05 lower.
        var lrs = Enumerable.Range(0, 100).Select(i => 1e-7 * Math.Pow(1e8, i / 99.0)).ToList();
        var losses = lrs.Select(lr => lr < 1e-1
            ? 0.5 - 0.2 * Math.Tanh((Math.Log10(lr) + 2.5) * 2)
            : 0.3 + (Math.Log10(lr) + 1)).ToList();
        losses[1] -= 0.05;

        double suggestion = Learner.Suggest(lrs, losses);

        Assert.InRange(suggestion, 1e-3, 1e-2);
    }

    [Fact]
    public void A_loss_that_bottoms_out_at_once_still_gets_a_suggestion_from_the_range()
    {
        var lrs = Enumerable.Range(0, 20).Select(i => 1e-5 * Math.Pow(10, i / 4.0)).ToList();
        var losses = lrs.Select((_, i) => i == 0 ? 1.0 : 0.5 + i).ToList();   // min at index 1

        Assert.Equal(lrs[1], Learner.Suggest(lrs, losses));
    }
}
