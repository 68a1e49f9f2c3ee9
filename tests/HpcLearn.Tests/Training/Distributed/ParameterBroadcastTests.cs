using HpcLearn.Training.Distributed;
using TorchSharp;
using Xunit;

using HpcLearn.Runs;

namespace HpcLearn.Tests.Training.Distributed;

/// <summary>Rank 0's weights reach the other ranks byte for byte (fake communicator; the real one is in the MPI tests).</summary>
public sealed class ParameterBroadcastTests
{
    [Fact]
    public void Parameters_and_buffers_are_overwritten_with_rank_zeros_bytes()
    {
        using var rank0 = torch.nn.BatchNorm1d(3);
        using var rank1 = torch.nn.BatchNorm1d(3);
        using (torch.no_grad())
        {
            rank0.weight!.copy_(torch.tensor(new float[] { 1, 2, 3 }));
            rank0.running_mean!.copy_(torch.tensor(new float[] { 7, 8, 9 }));
        }
        // What rank 0 sends, tensor by tensor, in the order both ranks walk them.
        var sent = rank0.parameters().Cast<torch.Tensor>().Concat(rank0.buffers()).Select(t => t.bytes.ToArray()).ToList();
        var comm = new QueueBroadcast(1, 2, sent);

        ParameterBroadcast.FromRank0(rank1, comm);

        Assert.Equal([1f, 2f, 3f], rank1.weight!.data<float>().ToArray());
        Assert.Equal([7f, 8f, 9f], rank1.running_mean!.data<float>().ToArray());
        Assert.Equal(rank0.num_batches_tracked!.item<long>(), rank1.num_batches_tracked!.item<long>());
        Assert.Empty(comm.Left);
    }

    [Fact]
    public void Different_models_on_different_ranks_are_refused_before_any_bytes_move()
    {
        using var model = torch.nn.Linear(3, 2);
        var comm = new FakeCommunicator(1, 2) { PeerMax = (_, v) => v + 1 };
        var e = Assert.Throws<InvalidOperationException>(() => ParameterBroadcast.FromRank0(model, comm));
        Assert.StartsWith("ranks disagree on the model's parameters and buffers (count, sizes)", e.Message);
        Assert.DoesNotContain(comm.Calls, c => c.StartsWith("broadcast"));
    }

    [Fact]
    public void One_rank_does_nothing()
    {
        using var model = torch.nn.Linear(3, 2);
        var comm = new FakeCommunicator(0, 1);
        ParameterBroadcast.FromRank0(model, comm);
        Assert.Empty(comm.Calls);
    }

    private sealed class QueueBroadcast(int rank, int size, List<byte[]> sent) : HpcLearn.Cluster.ICommunicator
    {
        public Queue<byte[]> Left { get; } = new(sent);
        public int Rank => rank;
        public int Size => size;
        public string Name => "queue";
        public void AllReduceSum(Span<float> data) { }
        public void AllReduceSum(Span<double> data) { }
        public void AllReduceMax(Span<float> data) { }
        public void AllReduceMax(Span<double> data) { }
        public void Broadcast(Span<float> data, int root) => throw new NotSupportedException();
        public void Broadcast(Span<double> data, int root) => throw new NotSupportedException();
        public void Broadcast(Span<byte> data, int root)
        {
            var next = Left.Dequeue();
            Assert.Equal(next.Length, data.Length);
            next.CopyTo(data);
        }
        public void Barrier() { }
        public void Dispose() { }
    }
}
