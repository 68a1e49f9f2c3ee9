using System.Runtime.InteropServices;
using HpcLearn.Cluster;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HpcLearn.Training.Distributed;

/// <summary>
/// Flat CPU buffers that hold the gradients of many parameters, so one all-reduce moves many
/// tensors. Built once for a parameter list and reused every step. Each bucket ends with one
/// flag per parameter (1 when this rank has a gradient for it): after the sum, a parameter
/// that any rank has a gradient for gets one on every rank, so all ranks step the same
/// parameters.
/// </summary>
internal sealed class GradientBuckets : IDisposable
{
    private readonly List<Bucket> _buckets;
    private readonly long[] _layout;

    private sealed record Slot(int Parameter, long Offset, long Numel, long[] Shape);

    private sealed class Bucket(ScalarType dtype, List<Slot> slots, long dataLength) : IDisposable
    {
        public ScalarType Dtype { get; } = dtype;
        public List<Slot> Slots { get; } = slots;
        public long DataLength { get; } = dataLength;
        public Tensor Buffer { get; } = zeros(dataLength + slots.Count, dtype: dtype).DetachFromDisposeScope();
        public void Dispose() => Buffer.Dispose();
    }

    private GradientBuckets(List<Bucket> buckets, long[] layout)
    {
        _buckets = buckets;
        _layout = layout;
    }

    /// <summary>Number of buckets (one all-reduce each).</summary>
    public int Count => _buckets.Count;

    /// <summary>Packs the trainable parameters, in order, into buckets of at most <paramref name="bucketBytes"/> (a larger parameter gets its own).</summary>
    public static GradientBuckets Build(IReadOnlyList<Parameter> parameters, long bucketBytes)
    {
        var buckets = new List<Bucket>();
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
        {
            long elementSize = dtype == ScalarType.Float32 ? 4 : 8, capacity = Math.Max(1, bucketBytes / elementSize);
            var slots = new List<Slot>();
            long used = 0;
            for (int i = 0; i < parameters.Count; i++)
            {
                var p = parameters[i];
                if (!p.requires_grad || p.dtype != dtype) continue;
                long n = p.numel();
                if (used > 0 && used + n > capacity)
                {
                    buckets.Add(new Bucket(dtype, slots, used));
                    (slots, used) = (new List<Slot>(), 0);
                }
                slots.Add(new Slot(i, used, n, p.shape));
                used += n;
            }
            if (slots.Count > 0) buckets.Add(new Bucket(dtype, slots, used));
        }
        foreach (var p in parameters.Where(p => p.requires_grad && p.dtype is not (ScalarType.Float32 or ScalarType.Float64)))
            throw new NotSupportedException($"gradient all-reduce supports float32 and float64 parameters, not {p.dtype}");
        return new GradientBuckets(buckets, Layout(parameters));
    }

    /// <summary>True when <paramref name="parameters"/> still have the layout the buckets were built for.</summary>
    public bool Matches(IReadOnlyList<Parameter> parameters) => Layout(parameters).AsSpan().SequenceEqual(_layout);

    /// <summary>A fingerprint to compare across ranks: parameter count, elements, and a position-weighted sum of sizes.</summary>
    public double[] Fingerprint()
    {
        double weighted = 0;
        for (int i = 0; i < _layout.Length; i++) weighted += (i + 1.0) * _layout[i];
        return [_layout.Length, _layout.Sum(), weighted % 9007199254740991.0];
    }

    /// <summary>Sums every parameter's gradient over the ranks and divides by the rank count (the mean gradient), in place.</summary>
    public void Reduce(IReadOnlyList<Parameter> parameters, ICommunicator comm, Scalar worldSize)
    {
        foreach (var b in _buckets)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var has = new bool[b.Slots.Count];
            for (int k = 0; k < b.Slots.Count; k++)
            {
                var s = b.Slots[k];
                var dst = b.Buffer.narrow(0, s.Offset, s.Numel);
                var g = parameters[s.Parameter].grad;
                if (g is null) dst.zero_();
                else { dst.copy_(g.reshape(-1)); has[k] = true; }
            }
            if (b.Dtype == ScalarType.Float32) Sum(MemoryMarshal.Cast<byte, float>(b.Buffer.bytes), b.DataLength, has, comm);
            else Sum(MemoryMarshal.Cast<byte, double>(b.Buffer.bytes), b.DataLength, has, comm);
            b.Buffer.narrow(0, 0, b.DataLength).div_(worldSize);
            for (int k = 0; k < b.Slots.Count; k++)
            {
                if (!has[k]) continue; // after Sum: true when any rank had a gradient
                var s = b.Slots[k];
                var p = parameters[s.Parameter];
                var mean = b.Buffer.narrow(0, s.Offset, s.Numel).view(s.Shape);
                var g = p.grad;
                if (g is null) p.grad = mean.clone();
                else g.copy_(mean);
            }
        }
    }

    // Writes the flags after the data, sums everything in one call, then reads back which
    // parameters any rank had a gradient for.
    private static void Sum<T>(Span<T> buffer, long dataLength, bool[] has, ICommunicator comm) where T : unmanaged, System.Numerics.INumber<T>
    {
        var flags = buffer[(int)dataLength..];
        for (int k = 0; k < has.Length; k++) flags[k] = has[k] ? T.One : T.Zero;
        if (typeof(T) == typeof(float)) comm.AllReduceSum(MemoryMarshal.Cast<T, float>(buffer));
        else comm.AllReduceSum(MemoryMarshal.Cast<T, double>(buffer));
        for (int k = 0; k < has.Length; k++) has[k] = flags[k] > T.Zero;
    }

    private static long[] Layout(IReadOnlyList<Parameter> parameters)
        => parameters.Select(p => p.requires_grad ? p.numel() * (p.dtype == ScalarType.Float64 ? -1 : 1) : 0).ToArray();

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var b in _buckets) b.Dispose();
    }
}
