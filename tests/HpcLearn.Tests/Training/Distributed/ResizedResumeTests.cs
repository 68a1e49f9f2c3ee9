using HpcLearn.Data;
using HpcLearn.Tests.Data;
using HpcLearn.Tests.Tasks.Clustering;
using HpcLearn.Training;
using HpcLearn.Training.Distributed;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace HpcLearn.Tests.Training.Distributed;

/// <summary>
/// A checkpoint resumed on another number of ranks keeps its global batch, in process: the
/// uneven split's weighting against one process (ranks as threads), the line that says what
/// changed, and the refusal of a global batch the ranks cannot share. The real thing, under
/// mpirun through the CLI, is <c>MpiResizeTests</c>.
/// </summary>
[Collection("torch-rng")] // the initial weights come from the global RNG
public sealed class ResizedResumeTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private string Folder => Path.Combine(_dir.Path, "checkpoints");

    private static TensorDataLoader Loader(Tensor x, Tensor y, int batch, int rank, int ranks)
        => new([x], y, batch, shuffle: true, seed: 7, rank, ranks, leaveOpen: true);

    [Fact]
    public void Three_ranks_sharing_a_global_batch_of_32_unevenly_step_as_one_process_with_32()
    {
        // 11 + 11 + 10 examples: each rank's mean loss is weighted by its share, so the all-reduced
        // gradient is the mean over the 32 examples. A mean of the three ranks' means (unweighted)
        // ended 8.3e-3 away from the uninterrupted run on the tabular task (MpiResizeTests); here
        // the largest difference measured is 6.0e-8 (float summation order), and 2.9e-3 without the weighting.
        using var scope = NewDisposeScope();
        var (x, y) = Tiny.Regression(Tiny.Rows, seed: 1);
        manual_seed(3);
        using var reference = new TinyMlp();
        var start = reference.parameters().Select(p => p.detach().clone()).ToList();
        var options = Tiny.ConstantLr;

        using (var train = Loader(x, y, 32, 0, 1))
        using (var one = new Learner(reference, train, null, Tiny.Mse, options))
            one.Fit(2);
        var expected = reference.parameters().Select(p => p.detach().clone()).ToList();

        var ranks = ThreadRanks.Run(3, comm =>
        {
            using var inner = NewDisposeScope();
            manual_seed(99 + comm.Rank);   // other weights on every rank: only the broadcast makes them equal
            using var model = new TinyMlp();
            if (comm.Rank == 0)
                using (no_grad())
                    foreach (var (p, w) in model.parameters().Zip(start)) p.copy_(w);
            ParameterBroadcast.FromRank0(model, comm);
            using var train = Loader(x, y, 8, comm.Rank, comm.Size);
            train.Regroup(32, 1);
            using var reduce = new GradientAllReduceCallback(comm);
            using var learner = new Learner(model, train, null, Tiny.Mse, options, callbacks: [reduce, new ShardedOptimizerStep(comm)]) { Communicator = comm };
            learner.Fit(2);
            return (Sizes: train.Epoch(0).Select(b => { using (b) return b.Size; }).ToArray(),
                    Weights: model.parameters().Select(p => p.detach().data<float>().ToArray()).ToList(), learner.Step);
        });
        Assert.Equal([11, 11, 11, 11, 11, 11, 11, 11], ranks[0].Sizes);   // 256 = 8 × 32: 11 + 11 + 10 each step
        Assert.Equal([10, 10, 10, 10, 10, 10, 10, 10], ranks[2].Sizes);
        Assert.All(ranks, r => Assert.Equal(16L, r.Step));

        double worst = 0;
        for (int i = 0; i < expected.Count; i++)
        {
            var want = expected[i].data<float>().ToArray();
            for (int k = 0; k < want.Length; k++)
            {
                worst = Math.Max(worst, Math.Abs(want[k] - ranks[0].Weights[i][k]));
                Assert.Equal(BitConverter.SingleToInt32Bits(ranks[0].Weights[i][k]), BitConverter.SingleToInt32Bits(ranks[2].Weights[i][k]));
            }
        }
        Assert.True(worst < 1e-6, $"largest weight difference {worst}");
    }

    // A learner whose loader is rank 0's of `ranks`, with `batch` per rank, talking to a fake job of that size.
    private static Learner RankZero(TinyMlp model, Tensor x, Tensor y, int batch, int ranks)
        => new(model, Loader(x, y, batch, 0, ranks), null, Tiny.Mse, Tiny.ConstantLr) { Communicator = new FakeCommunicator(0, ranks) };

    [Fact]
    public void A_resume_on_three_ranks_keeps_the_two_rank_global_batch_and_says_so()
    {
        using var scope = NewDisposeScope();
        var (x, y) = Tiny.Regression(Tiny.Rows, seed: 1);
        var store = new CheckpointStore(Folder);
        using (var model = new TinyMlp())
        using (var two = RankZero(model, x, y, 16, 2))
        {
            two.Plan = new FitPlan(HpcLearn.Config.ScheduleKind.Constant, 1e-2, 0, 16, 2);
            two.Progress = new EpochProgress(3, 1.5, 96, [0.75, 0.75], [48, 48]);
            two.Step = 3;
            store.Save(two, "seed: 1\n");
        }
        using var resumed = new TinyMlp();
        using var three = RankZero(resumed, x, y, 16, 3);
        var log = new StringWriter();

        store.Resume(three, "seed: 1\n", log);

        Assert.Equal(32, three.Train.GlobalBatch);
        Assert.Equal(2, three.Train.KeptMultiple);
        Assert.Equal(8, three.Train.BatchesPerEpoch);
        Assert.Equal(3, three.Progress.Batches);
        Assert.Equal("resumed on 3 ranks (checkpoint written by 2): global batch 32 kept as 11+11+10 (each rank's loss weighted by its share, " +
            "so a step is the mean gradient over the same 32 examples); the same examples in the same order from epoch 1, global batch 4 of 8, " +
            "each epoch leaving out the last 0 of the 256 as on 2 ranks; the config's train.batch_size 16 × 3 = 48 applies to new runs",
            log.ToString().Split('\n')[1].TrimEnd());
    }

    [Fact]
    public void A_global_batch_the_ranks_cannot_share_is_one_line_and_changes_nothing()
    {
        using var scope = NewDisposeScope();
        var (x, y) = Tiny.Regression(Tiny.Rows, seed: 1);
        var store = new CheckpointStore(Folder);
        string path;
        using (var model = new TinyMlp())
        using (var one = RankZero(model, x, y, 2, 1))
        {
            one.Step = 5;
            path = store.Save(one, "seed: 1\n");
        }
        byte[] before = File.ReadAllBytes(path);
        using var resumed = new TinyMlp();
        using var three = RankZero(resumed, x, y, 2, 3);

        var e = Assert.Throws<UserError>(() => store.Resume(three, "seed: 1\n", TextWriter.Null));

        Assert.Equal($"--resume: the checkpoint {path} was written by 1 rank with a global batch of 2 examples, which 3 ranks cannot keep: " +
            "a global batch of 2 examples cannot give each of 3 ranks an example; resume on at most 2 ranks, or start a new run with another name", e.Message);
        Assert.Equal(0, three.Step);
        Assert.Equal(6, three.Train.GlobalBatch);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void One_process_epoch_sums_go_to_rank_zero_when_resumed_on_two_ranks()
    {
        // Without this both ranks took the one process's sums and the epoch's train loss counted them twice.
        using var scope = NewDisposeScope();
        var (x, y) = Tiny.Regression(Tiny.Rows, seed: 1);
        var store = new CheckpointStore(Folder);
        using (var model = new TinyMlp())
        using (var one = RankZero(model, x, y, 32, 1))
        {
            one.Progress = new EpochProgress(2, 3.0, 64);
            store.Save(one, "");
        }
        using var resumed = new TinyMlp();
        using var two = RankZero(resumed, x, y, 16, 2);
        store.RestoreLatest(two, _ => { });

        Assert.Equal(new EpochProgress(2, 3.0, 64), two.Progress.ForRank(0, 2));
        Assert.Equal(new EpochProgress(2, 0, 0), two.Progress.ForRank(1, 2));
    }
}
