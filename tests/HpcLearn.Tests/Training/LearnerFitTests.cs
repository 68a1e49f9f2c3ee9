using HpcLearn.Config;
using HpcLearn.Runs;
using HpcLearn.Training;
using TorchSharp;
using Xunit;

namespace HpcLearn.Tests.Training;

[Collection("torch-rng")] // the initial weights come from the global RNG: seeded, and never while another test draws from it
public sealed class LearnerFitTests
{
    private static double ValidLoss(Learner learner)
    {
        var r = learner.Evaluate(learner.Valid!);
        r.Outputs.Dispose();
        r.Targets.Dispose();
        return r.Loss;
    }

    [Fact]
    public void Fit_reduces_the_validation_loss_and_records_one_epoch_at_a_time()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(1);
        using var t = new Tiny();
        double before = ValidLoss(t.Learner);

        t.Learner.Fit(8);

        double after = ValidLoss(t.Learner);
        Assert.True(after < 0.1 * before, $"valid loss {before} -> {after}");
        Assert.Equal(8, t.Learner.Epoch);
        Assert.Equal(8L * Tiny.Batches, t.Learner.Step);
        Assert.Equal(Enumerable.Range(1, 8), t.Learner.History.Select(r => r.Epoch));
        Assert.Equal(Enumerable.Range(1, 8).Select(e => (long)e * Tiny.Batches), t.Learner.History.Select(r => r.Step));
        Assert.Equal(after, t.Learner.History[^1].ValidLoss, 1e-6);
        Assert.All(t.Learner.History, r => Assert.Equal(1e-2, r.LearningRate));
        Assert.Null(t.Learner.StopReason);
    }

    [Fact]
    public void FitOneCycle_reduces_the_validation_loss()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(1);
        using var t = new Tiny();
        double before = ValidLoss(t.Learner);

        t.Learner.FitOneCycle(6, maxLr: 3e-2);

        double after = ValidLoss(t.Learner);
        Assert.True(after < 0.1 * before, $"valid loss {before} -> {after}");
        Assert.Equal(6, t.Learner.History.Count);
        Assert.Equal(6L * Tiny.Batches, t.Learner.Step);
        Assert.Equal(new FitPlan(ScheduleKind.OneCycle, 3e-2, 0, 6L * Tiny.Batches, 6), t.Learner.Plan);
    }

    [Fact]
    public void A_second_fit_continues_the_epoch_and_step_counts_with_a_new_plan()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(1);
        using var t = new Tiny();

        t.Learner.Fit(2);
        t.Learner.FitOneCycle(3, 1e-2);

        Assert.Equal(5, t.Learner.Epoch);
        Assert.Equal(5L * Tiny.Batches, t.Learner.Step);
        Assert.Equal(new FitPlan(ScheduleKind.OneCycle, 1e-2, 2L * Tiny.Batches, 3L * Tiny.Batches, 5), t.Learner.Plan);
        Assert.Equal(Enumerable.Range(1, 5), t.Learner.History.Select(r => r.Epoch));
    }

    [Fact]
    public void Metrics_function_results_appear_in_each_epoch_record()
    {
        using var scope = torch.NewDisposeScope();
        int calls = 0;
        using var t = new Tiny(metrics: (o, y) => { calls++; return Tiny.Mae(o, y); });

        t.Learner.Fit(3);

        Assert.Equal(3, calls);
        Assert.All(t.Learner.History, r => Assert.Equal(["mae"], r.Metrics.Keys));
        // The last record's MAE is the MAE of the final model on the validation set.
        using var pred = t.Learner.Predict([t.ValidX]);
        double mae = (pred - t.ValidY).abs().mean().ToDouble();
        Assert.Equal(mae, t.Learner.History[^1].Metrics["mae"], 1e-6);
        Assert.True(t.Learner.History[^1].Metrics["mae"] < t.Learner.History[0].Metrics["mae"]);
    }

    [Fact]
    public void Without_validation_data_the_valid_loss_is_NaN()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(1);
        using var t = new Tiny();
        using var learner = new Learner(t.Model, t.Learner.Train, valid: null, Tiny.Mse, Tiny.ConstantLr);

        learner.Fit(1);

        Assert.True(double.IsNaN(learner.History[0].ValidLoss));
        Assert.True(double.IsFinite(learner.History[0].TrainLoss));
    }

    [Fact]
    public void Fit_rejects_zero_epochs()
    {
        using var t = new Tiny();
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Learner.Fit(0));
        Assert.Throws<InvalidOperationException>(() => t.Learner.Continue());
    }
}
