using HpcLearn.Tests.Data;
using HpcLearn.Runs;
using HpcLearn.Training;
using HpcLearn.Training.Callbacks;
using HpcLearn.Training.Distributed;
using TorchSharp;
using Xunit;

namespace HpcLearn.Tests.Training.Distributed;

/// <summary>
/// The shared-out optimiser step against a fake communicator (no MPI): who steps what, that a
/// rank steps only its share, and that state it could not gather is never checkpointed. The
/// real exchange, with the weights and state of two ranks against one process, is
/// <see cref="DataParallelEquivalenceTests"/>.
/// </summary>
[Collection("torch-rng")] // compares runs seeded from the global RNG
public sealed class ShardedOptimizerStepTests
{
    // Stops the fit after its first step.
    private sealed class OneStep : Callback
    {
        public override LoopAction OnBatchEnd(Learner learner, double loss) => LoopAction.Stop;
    }

    // The weights right after the optimiser step, before the ranks exchange them.
    private sealed class SnapshotBeforeExchange(TinyMlp model) : Callback
    {
        public Dictionary<string, int[]>? Bits { get; private set; }
        public override int Order => CallbackOrder.GradientReduce - 1;
        public override LoopAction OnBatchEnd(Learner learner, double loss) { Bits ??= Tiny.Bits(model); return LoopAction.Continue; }
    }

    // Throws in the middle of the first epoch, as a failing rank would.
    private sealed class Fail : Callback
    {
        public override LoopAction OnBatchEnd(Learner learner, double loss)
            => learner.Progress.Batches == 3 ? throw new IOException("disk full") : LoopAction.Continue;
    }

    [Fact]
    public void The_ranks_split_the_parameters_into_disjoint_shares_that_cover_them_all()
    {
        var shares = new List<IReadOnlyList<int>>();
        for (int rank = 0; rank < 3; rank++)
        {
            using var scope = torch.NewDisposeScope();
            var step = new ShardedOptimizerStep(new FakeCommunicator(rank, 3));
            torch.manual_seed(1);
            using var t = new Tiny(callbacks: [step, new OneStep()]);
            t.Learner.Fit(1);
            Assert.True(step.Active);
            shares.Add(step.Mine.ToList());
        }
        // TinyMlp's 4 tensors (fc1 weight 16x2, fc1 bias, fc2 weight 1x16, fc2 bias) over 3 ranks.
        Assert.Equal([0, 1, 2, 3], shares.SelectMany(s => s).Order());
        Assert.All(shares, s => Assert.NotEmpty(s));
    }

    [Fact]
    public void A_rank_steps_its_share_exactly_as_an_unshared_step_and_leaves_the_rest_to_the_others()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(3);
        using var whole = new Tiny(callbacks: [new OneStep()]);
        var before = Tiny.Bits(whole.Model);
        whole.Learner.Fit(1);
        var after = Tiny.Bits(whole.Model);

        // Rank 0 of 2.
        var step = new ShardedOptimizerStep(new FakeCommunicator(0, 2));
        torch.manual_seed(3);
        using var shared = new Tiny(callbacks: [step, new OneStep()]);
        var snapshot = new SnapshotBeforeExchange(shared.Model);
        shared.Learner.AddCallback(snapshot);
        shared.Learner.Fit(1);
        var mine = snapshot.Bits!;

        var names = before.Keys.ToList();
        Assert.NotEmpty(step.Mine);
        Assert.NotEqual(names.Count, step.Mine.Count);
        for (int i = 0; i < names.Count; i++)
        {
            var expected = step.Mine.Contains(i) ? after[names[i]] : before[names[i]];
            Assert.True(expected.SequenceEqual(mine[names[i]]), $"{names[i]} ({(step.Mine.Contains(i) ? "mine" : "the other rank's")})");
        }
        Assert.False(shared.Learner.Optimizer.StateIncomplete); // the agreed stop gathered the state
        Assert.Null(shared.Learner.Optimizer.Owned);              // and the next fit starts unshared
    }

    [Fact]
    public void A_rank_that_fails_mid_epoch_keeps_its_partial_state_out_of_the_checkpoints()
    {
        using var scope = torch.NewDisposeScope();
        using var dir = new TempDir();
        var store = new CheckpointStore(Path.Combine(dir.Path, "checkpoints"), keep: 5);
        var comm = new FakeCommunicator(0, 2);
        torch.manual_seed(5);
        using var t = new Tiny(callbacks: [new ShardedOptimizerStep(comm), new CheckpointCallback(store)]);
        t.Learner.Fit(1);
        Assert.Equal(1, store.Latest()!.Epoch);   // the epoch end gathered the state, then saved
        Assert.Contains("allgather float[", string.Join(";", comm.Calls));
        byte[] good = File.ReadAllBytes(store.Latest()!.Path);

        t.Learner.AddCallback(new Fail());
        Assert.Throws<IOException>(() => t.Learner.Fit(1));

        Assert.True(t.Learner.Optimizer.StateIncomplete);
        Assert.Equal(1, store.Latest()!.Epoch);   // no checkpoint of batch 3 with half-stale moments
        Assert.Equal(good, File.ReadAllBytes(store.Latest()!.Path));
    }

    [Fact]
    public void An_optimiser_with_a_share_updates_only_those_parameters_and_marks_its_state_incomplete()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(9);
        using var t = new Tiny();
        var opt = t.Learner.Optimizer;
        using (var l = Tiny.Mse(t.Model.forward([t.TrainX]), t.TrainY)) l.backward();
        var before = Tiny.Bits(t.Model);

        opt.Owned = [false, true, false, false];
        opt.Step();

        var after = Tiny.Bits(t.Model);
        var names = before.Keys.ToList();
        Assert.True(before[names[0]].SequenceEqual(after[names[0]]));
        Assert.False(before[names[1]].SequenceEqual(after[names[1]]));
        Assert.True(opt.StateIncomplete);
        Assert.Throws<ArgumentException>(() => opt.Owned = [true]);
    }
}
