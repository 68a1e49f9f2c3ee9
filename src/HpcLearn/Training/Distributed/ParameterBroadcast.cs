using HpcLearn.Cluster;
using TorchSharp;
using static TorchSharp.torch;

using HpcLearn.Runs;

namespace HpcLearn.Training.Distributed;

/// <summary>Makes every rank start from the same weights.</summary>
public static class ParameterBroadcast
{
    /// <summary>
    /// Copies rank 0's parameters and buffers (e.g. batch-norm statistics) into every rank's
    /// <paramref name="module"/>, byte for byte. Call it on all ranks after building the model
    /// (and after restoring a checkpoint), before training. Ranks whose models differ in layout
    /// get an <see cref="InvalidOperationException"/> instead of corrupted weights.
    /// </summary>
    public static void FromRank0(nn.Module module, ICommunicator comm)
    {
        if (comm.Size == 1) return;
        var tensors = module.parameters().Cast<Tensor>().Concat(module.buffers()).ToList();
        double weighted = 0, bytes = 0;
        for (int i = 0; i < tensors.Count; i++)
        {
            double b = tensors[i].numel() * tensors[i].element_size();
            bytes += b;
            weighted += (i + 1.0) * b;
        }
        RankAgreement.Check(comm, [tensors.Count, bytes, weighted % 9007199254740991.0], "the model's parameters and buffers (count, sizes)");
        Send(tensors, comm);
    }

    /// <summary>
    /// Copies rank 0's buffers only (e.g. batch-norm running statistics, which each rank updates
    /// from its own batches) into every rank's <paramref name="module"/>. Every rank must call it at
    /// the same point; the layout was checked by <see cref="FromRank0"/>.
    /// </summary>
    public static void BuffersFromRank0(nn.Module module, ICommunicator comm)
    {
        if (comm.Size > 1) Send(module.buffers().ToList(), comm);
    }

    private static void Send(IReadOnlyList<Tensor> tensors, ICommunicator comm)
    {
        using var noGrad = no_grad();
        foreach (var t in tensors)
        {
            if (t.is_contiguous() && t.device_type == DeviceType.CPU)
            {
                BroadcastFlat(t, comm);
                continue;
            }
            using var copy = t.contiguous().cpu();
            BroadcastFlat(copy, comm);
            t.copy_(copy);
        }
    }

    // tensor.bytes is a zero-copy span over the tensor's memory, limited to int.MaxValue bytes:
    // a larger tensor goes in slices of its flat view.
    private static void BroadcastFlat(Tensor t, ICommunicator comm)
    {
        long n = t.numel(), perChunk = int.MaxValue / t.element_size();
        if (n == 0) return;
        using var flat = t.view(-1);
        for (long at = 0; at < n; at += perChunk)
        {
            using var slice = flat.narrow(0, at, Math.Min(perChunk, n - at));
            comm.Broadcast(slice.bytes, 0);
        }
    }
}
