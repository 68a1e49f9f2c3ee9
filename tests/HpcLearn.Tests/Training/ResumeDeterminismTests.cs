using HpcLearn.Config;
using HpcLearn.Tests.Data;
using HpcLearn.Runs;
using HpcLearn.Training;
using HpcLearn.Training.Callbacks;
using TorchSharp;
using Xunit;

namespace HpcLearn.Tests.Training;

[Collection("torch-rng")]
public sealed class ResumeDeterminismTests
{
    private static readonly TrainOptions Options = new()
    {
        Epochs = 6, LearningRate = 2e-2, Optimizer = OptimizerKind.AdamW, WeightDecay = 0.01, Schedule = ScheduleKind.OneCycle,
    };

    [Fact]
    public void A_run_stopped_after_epoch_3_and_resumed_in_a_fresh_learner_ends_bitwise_equal_to_an_uninterrupted_run()
    {
        int threads = torch.get_num_threads();
        torch.set_num_threads(1);
        try
        {
            using var scope = torch.NewDisposeScope();
            using var dir = new TempDir();

            // Run A: six epochs, uninterrupted. Dropout makes the result depend on the RNG stream.
            torch.manual_seed(42);
            using var a = new Tiny(Options, dropout: 0.3);
            a.Learner.FitFromOptions();

            // Run B: the same run, stopped after epoch 3 (the plan still ends at epoch 6).
            var store = new CheckpointStore(dir.Path, keep: 2);
            torch.manual_seed(42);
            using (var b = new Tiny(Options, dropout: 0.3, callbacks: [new StopAtEpoch(3), new CheckpointCallback(store)]))
            {
                b.Learner.FitFromOptions();
                Assert.Equal(3, b.Learner.Epoch);
                Assert.Equal(6, b.Learner.Plan!.LastEpoch);
                var midA = a.Learner.History[2];
                Assert.Equal(midA.TrainLoss, b.Learner.History[2].TrainLoss); // B really is A's first half
            }

            // A fresh process state: another init seed and some RNG draws, then restore and continue.
            torch.manual_seed(7);
            using var c = new Tiny(Options, dropout: 0.3, callbacks: [new CheckpointCallback(store)]);
            using (torch.rand(1000)) { }
            Assert.NotEqual(Tiny.Bits(a.Model)["fc1.weight"], Tiny.Bits(c.Model)["fc1.weight"]);
            var warnings = new List<string>();
            Assert.Equal(3, store.RestoreLatest(c.Learner, warnings.Add)!.Epoch);
            Assert.Empty(warnings);
            c.Learner.Continue();

            Assert.Equal(6, c.Learner.Epoch);
            Assert.Equal(a.Learner.Step, c.Learner.Step);
            Tiny.AssertBitwiseEqual(Tiny.Bits(a.Model), Tiny.Bits(c.Model));
            Assert.Equal(a.Learner.History.Select(r => r.TrainLoss), c.Learner.History.Select(r => r.TrainLoss));
            Assert.Equal(a.Learner.History.Select(r => r.ValidLoss), c.Learner.History.Select(r => r.ValidLoss));
            Assert.Equal(Tiny.OptimizerBytes(a.Learner), Tiny.OptimizerBytes(c.Learner));
        }
        finally
        {
            torch.set_num_threads(threads);
        }
    }

    [Fact]
    public void A_run_stopped_in_the_middle_of_an_epoch_resumes_at_its_data_cursor_bitwise_equal()
    {
        int threads = torch.get_num_threads();
        torch.set_num_threads(1);
        try
        {
            using var scope = torch.NewDisposeScope();
            using var dir = new TempDir();
            torch.manual_seed(42);
            using var a = new Tiny(Options, dropout: 0.3);
            a.Learner.FitFromOptions();

            // Stopped 3 batches into epoch 4: the epoch stays open and the checkpoint names its cursor.
            var store = new CheckpointStore(dir.Path, keep: 2);
            torch.manual_seed(42);
            using (var b = new Tiny(Options, dropout: 0.3, callbacks: [new StopMidEpoch(4, 3), new CheckpointCallback(store)]))
            {
                b.Learner.FitFromOptions();
                Assert.Equal(3, b.Learner.Epoch);
                Assert.Equal(3, b.Learner.Progress.Batches);
                Assert.Equal(3, b.Learner.History.Count);
                Assert.Equal("test deadline", b.Learner.StopReason);
            }
            var latest = store.Latest()!;
            Assert.Equal((3, 3), (latest.Epoch, latest.Batch));
            Assert.Equal("epoch-0003-batch-00003.ckpt", Path.GetFileName(latest.Path));

            torch.manual_seed(7);
            using var c = new Tiny(Options, dropout: 0.3, callbacks: [new CheckpointCallback(store)]);
            var info = store.RestoreLatest(c.Learner, _ => { })!;
            Assert.Equal(3, info.Progress!.Batches);
            c.Learner.Continue();

            Assert.Equal(6, c.Learner.Epoch);
            Assert.Equal(EpochProgress.None, c.Learner.Progress);
            Assert.Equal(a.Learner.Step, c.Learner.Step);
            Tiny.AssertBitwiseEqual(Tiny.Bits(a.Model), Tiny.Bits(c.Model));
            Assert.Equal(a.Learner.History.Select(r => r.TrainLoss), c.Learner.History.Select(r => r.TrainLoss));
        }
        finally
        {
            torch.set_num_threads(threads);
        }
    }

    [Fact]
    public void Without_the_checkpoint_the_same_continuation_differs()
    {
        // Control for the test above: the fixture is sensitive to the state a checkpoint carries.
        int threads = torch.get_num_threads();
        torch.set_num_threads(1);
        try
        {
            using var scope = torch.NewDisposeScope();
            torch.manual_seed(42);
            using var a = new Tiny(Options, dropout: 0.3);
            a.Learner.FitFromOptions();
            var full = Tiny.Bits(a.Model);

            torch.manual_seed(42);
            using var b = new Tiny(Options, dropout: 0.3, callbacks: [new StopAtEpoch(3)]);
            b.Learner.FitFromOptions();
            using (torch.rand(10)) { }   // the RNG stream moves on: the dropout masks differ
            b.Learner.Continue();

            Assert.Equal(6, b.Learner.Epoch);
            Assert.NotEqual(full["fc1.weight"], Tiny.Bits(b.Model)["fc1.weight"]);
        }
        finally
        {
            torch.set_num_threads(threads);
        }
    }
}
