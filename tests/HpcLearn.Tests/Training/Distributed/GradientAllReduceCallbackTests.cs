using HpcLearn.Training.Distributed;
using HpcLearn.Tests.Training;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

using HpcLearn.Runs;

namespace HpcLearn.Tests.Training.Distributed;

/// <summary>The gradient all-reduce arithmetic and bucketing, against a fake communicator (no MPI).</summary>
[Collection("torch-rng")] // compares runs seeded from the global RNG
public sealed class GradientAllReduceCallbackTests
{
    private static (Linear Model, Parameter[] Ps) LinearWithGrads()
    {
        var model = nn.Linear(3, 2); // weight (2, 3): 6 floats, bias (2): 2 floats
        using (no_grad())
        {
            model.weight!.copy_(tensor(new float[] { 1, 2, 3, 4, 5, 6 }).view(2, 3));
            model.bias!.copy_(tensor(new float[] { 0.5f, -0.5f }));
        }
        using var x = tensor(new float[] { 1, -1, 2 }).view(1, 3);
        using var loss = model.forward(x).sum();
        loss.backward(); // d/dW = x for each output row; d/db = 1
        return (model, model.parameters().ToArray());
    }

    private static float[] Grad(Parameter p) => p.grad!.data<float>().ToArray();

    [Fact]
    public void Identical_ranks_keep_their_gradients_exactly()
    {
        var (model, ps) = LinearWithGrads();
        using var _ = model;
        var comm = new FakeCommunicator(0, 4);
        using var reduce = new GradientAllReduceCallback(comm);

        reduce.Reduce(ps);

        Assert.Equal([1f, -1f, 2f, 1f, -1f, 2f], Grad(ps[0]));
        Assert.Equal([1f, 1f], Grad(ps[1]));
        Assert.Equal(1, reduce.Steps);
    }

    [Fact]
    public void Gradients_become_the_mean_over_ranks()
    {
        var (model, ps) = LinearWithGrads();
        using var _ = model;
        // One other rank whose gradient is 10 everywhere, and which has a gradient for every parameter.
        var comm = new FakeCommunicator(1, 2);
        using var reduce = new GradientAllReduceCallback(comm);
        int dataLength = 8;
        comm.PeerSum = (i, _) => i < dataLength ? 10 : 1;

        reduce.Reduce(ps);

        Assert.Equal([5.5f, 4.5f, 6f, 5.5f, 4.5f, 6f], Grad(ps[0]));
        Assert.Equal([5.5f, 5.5f], Grad(ps[1]));
    }

    [Theory]
    [InlineData(3)]   // not a power of two: a true division (0.3f / 3 is 0.1f; 0.3f * (1f / 3) is not)
    [InlineData(4)]   // a power of two: multiplied by the exact 1/4, which must give the same bits
    [InlineData(8)]
    public void The_mean_rounds_as_a_division_by_the_rank_count(int size)
    {
        using var model = nn.Linear(40, 1, hasBias: false);
        var ps = model.parameters().ToArray();
        var rng = new Random(size);
        var mine = Enumerable.Range(0, 40).Select(_ => (float)rng.NextDouble() * 3 - 1).ToArray();
        mine[0] = 0.1f;
        using (no_grad()) ps[0].grad = tensor(mine).view(1, 40);
        var peers = Enumerable.Range(0, 40).Select(_ => (float)rng.NextDouble() * 7).ToArray();
        peers[0] = 0.2f;   // the sum is then 0.3f
        var comm = new FakeCommunicator(0, size) { PeerSum = (i, _) => i < 40 ? peers[i] : size - 1 };
        using var reduce = new GradientAllReduceCallback(comm);

        reduce.Reduce(ps);

        var expected = mine.Zip(peers, (m, p) => (m + p) / (float)size).ToArray();
        Assert.Equal(expected, Grad(ps[0]));
        if (size == 3) Assert.NotEqual(0.3f * (1f / 3), expected[0]);
    }

    [Fact]
    public void A_parameter_without_a_gradient_here_gets_the_mean_when_another_rank_has_one()
    {
        using var model = nn.Linear(3, 2);
        var ps = model.parameters().ToArray();
        Assert.Null(ps[0].grad); // no backward on this rank
        var comm = new FakeCommunicator(0, 2);
        comm.PeerSum = (_, _) => 1; // the other rank: gradient 1 everywhere, flags 1
        using var reduce = new GradientAllReduceCallback(comm);

        reduce.Reduce(ps);

        Assert.Equal(Enumerable.Repeat(0.5f, 6), Grad(ps[0]));
        Assert.Equal([0.5f, 0.5f], Grad(ps[1]));
    }

    [Fact]
    public void A_parameter_no_rank_has_a_gradient_for_stays_without_one()
    {
        using var model = nn.Linear(3, 2);
        var ps = model.parameters().ToArray();
        using var reduce = new GradientAllReduceCallback(new FakeCommunicator(0, 2));

        reduce.Reduce(ps);

        Assert.Null(ps[0].grad);
        Assert.Null(ps[1].grad);
    }

    [Fact]
    public void After_the_first_step_gradients_live_in_the_bucket_and_backward_accumulates_into_it()
    {
        var (model, ps) = LinearWithGrads();
        using var _ = model;
        var comm = new FakeCommunicator(0, 2);
        using var reduce = new GradientAllReduceCallback(comm);
        reduce.Reduce(ps); // copies the first gradients in and installs the views

        foreach (var p in ps) p.grad!.zero_(); // as the optimiser does
        using (var x = tensor(new float[] { 2, 0, -1 }).view(1, 3))
        using (var loss = model.forward(x).sum())
            loss.backward();
        reduce.Reduce(ps);

        Assert.Equal([2f, 0f, -1f, 2f, 0f, -1f], Grad(ps[0]));
        Assert.Equal([1f, 1f], Grad(ps[1]));
        Assert.Equal((2L, 1L), (reduce.Steps, reduce.CopySteps));

        // Something replaces a gradient with a tensor of its own: it is copied in, and its view restored.
        ps[0].grad = tensor(new float[] { 4, 4, 4, 4, 4, 4 }).view(2, 3);
        comm.PeerSum = (i, _) => i < 8 ? 10 : 1;
        reduce.Reduce(ps);
        Assert.Equal(Enumerable.Repeat(7f, 6), Grad(ps[0]));
        Assert.Equal([5.5f, 5.5f], Grad(ps[1]));
        Assert.Equal(2, reduce.CopySteps);
        reduce.Reduce(ps);
        Assert.Equal(2, reduce.CopySteps);
    }

    [Fact]
    public void Buckets_hold_at_most_the_given_bytes_plus_one_flag_per_parameter()
    {
        var (model, ps) = LinearWithGrads();
        using var _ = model;
        var comm = new FakeCommunicator(0, 2);
        using var reduce = new GradientAllReduceCallback(comm, bucketBytes: 16); // 4 floats: the weight alone is bigger

        reduce.Reduce(ps);
        reduce.Reduce(ps); // buffers reused; layout checked across ranks once

        Assert.Equal(2, reduce.Buckets);
        Assert.Equal(["max double[6]", "sum float[7]", "sum float[3]", "sum float[7]", "sum float[3]"], comm.Calls);
    }

    [Fact]
    public void With_one_rank_nothing_is_copied_or_called()
    {
        var (model, ps) = LinearWithGrads();
        using var _ = model;
        var comm = new FakeCommunicator(0, 1);
        using var reduce = new GradientAllReduceCallback(comm);

        reduce.Reduce(ps);

        Assert.Empty(comm.Calls);
        Assert.Equal(0, reduce.Steps);
    }

    [Fact]
    public void Ranks_with_different_models_are_refused()
    {
        var (model, ps) = LinearWithGrads();
        using var _ = model;
        var comm = new FakeCommunicator(0, 2) { PeerMax = (_, v) => v + 1 }; // another rank has more of everything
        using var reduce = new GradientAllReduceCallback(comm);

        var e = Assert.Throws<InvalidOperationException>(() => reduce.Reduce(ps));
        Assert.StartsWith("ranks disagree on the trainable parameters (count, sizes)", e.Message);
        Assert.EndsWith("every rank must build the same model from the same config", e.Message);
    }

    [Fact]
    public void Ranks_that_would_take_different_numbers_of_steps_are_refused_before_training()
    {
        using var scope = torch.NewDisposeScope();
        // Another rank has one more batch per epoch (its shard crosses a batch boundary).
        var comm = new FakeCommunicator(0, 2) { PeerMax = (i, v) => i == 0 ? v + 1 : v };
        using var reduce = new GradientAllReduceCallback(comm);
        using var t = new Tiny(callbacks: [reduce]);

        var e = Assert.Throws<UserError>(() => t.Learner.Fit(1));
        Assert.Equal($"the {Tiny.Rows} training rows split into {Tiny.Batches} to {Tiny.Batches + 1} batches per epoch across the 2 ranks, " +
                     $"so one rank would wait for ever for the others; use a number of training rows that is a multiple of ranks × batch size (2 × {Tiny.BatchSize}), or change the batch size", e.Message);
        Assert.Equal(0, t.Learner.Step);
    }

    [Fact]
    public void In_the_learner_it_runs_first_among_gradient_callbacks_and_training_with_identical_ranks_is_unchanged()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(3);
        using var plain = new Tiny();
        torch.manual_seed(3);
        var comm = new FakeCommunicator(0, 2);
        using var reduce = new GradientAllReduceCallback(comm, bucketBytes: 64);
        using var ddp = new Tiny(callbacks: [reduce]);

        plain.Learner.Fit(2);
        ddp.Learner.Fit(2);

        Assert.Equal(HpcLearn.Training.CallbackOrder.GradientReduce, reduce.Order);
        Assert.Equal(2 * Tiny.Batches, reduce.Steps);
        Assert.Equal(1, reduce.CopySteps); // from the second step on, backward wrote into the buckets
        Tiny.AssertBitwiseEqual(Tiny.Bits(plain.Model), Tiny.Bits(ddp.Model));
    }
}
