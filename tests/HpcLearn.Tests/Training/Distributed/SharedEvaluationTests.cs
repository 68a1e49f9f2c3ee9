using HpcLearn.Runs;
using HpcLearn.Training;
using TorchSharp;
using Xunit;

namespace HpcLearn.Tests.Training.Distributed;

/// <summary>
/// The epoch's validation under data parallelism: each rank runs the model on its share of the
/// validation batches and the outputs are gathered. Here rank 1 of 2 in process, the fake's
/// "rank 0" sending what one process computes for the first half: the metrics must be that
/// process's. (Two real ranks against one process: <see cref="DataParallelEquivalenceTests"/>.)
/// </summary>
[Collection("torch-rng")] // compares runs seeded from the global RNG
public sealed class SharedEvaluationTests
{
    [Fact]
    public void A_rank_evaluates_its_half_and_the_gathered_metrics_are_one_process_s()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(4);
        using var alone = new Tiny(metrics: Tiny.Mae);
        alone.Learner.Fit(1);
        var expected = alone.Learner.History[^1];
        // What the other rank holds: the outputs and targets of validation rows 0-63.
        double[] outputs = alone.Learner.Predict([alone.ValidX]).data<float>().ToArray().Select(v => (double)v).ToArray();
        double[] targets = alone.ValidY.data<float>().ToArray().Select(v => (double)v).ToArray();

        var comm = new FakeCommunicator(1, 2);
        comm.PeerGather = (i, _) => comm.Calls.Count(c => c.StartsWith("allgather", StringComparison.Ordinal)) == 1 ? outputs[i] : targets[i];
        torch.manual_seed(4);
        using var t = new Tiny(metrics: Tiny.Mae);
        var rank1 = new Learner(t.Model, t.Learner.Train, t.Learner.Valid, Tiny.Mse, Tiny.ConstantLr, Tiny.Mae) { Communicator = comm };
        rank1.Fit(1);
        var got = rank1.History[^1];

        // 128 validation rows in batches of 64: one batch each, outputs and targets (128 x 1) gathered.
        Assert.Equal(2, comm.Calls.Count(c => c == "allgather double[128]"));
        Assert.Equal(expected.ValidLoss, got.ValidLoss, 1e-6);
        Assert.Equal(expected.Metrics["mae"], got.Metrics["mae"], 1e-6);
        Assert.Equal(expected.TrainLoss, got.TrainLoss, 1e-6);
    }

    [Fact]
    public void With_fewer_validation_batches_than_ranks_every_rank_evaluates_everything()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(4);
        using var t = new Tiny(metrics: Tiny.Mae);
        var comm = new FakeCommunicator(0, 3);   // 2 validation batches, 3 ranks
        var learner = new Learner(t.Model, t.Learner.Train, t.Learner.Valid, Tiny.Mse, Tiny.ConstantLr, Tiny.Mae) { Communicator = comm };

        learner.Fit(1);

        Assert.DoesNotContain(comm.Calls, c => c.StartsWith("allgather", StringComparison.Ordinal));
        Assert.True(double.IsFinite(learner.History[^1].ValidLoss));
    }
}
