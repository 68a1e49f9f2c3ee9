using System.Numerics;
using System.Runtime.InteropServices;
using HpcLearn.Cluster;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

using HpcLearn.Runs;

namespace HpcLearn.Training.Distributed;

/// <summary>
/// Flat CPU buffers that hold the gradients of many parameters, so one all-reduce moves many
/// tensors. Built once for a parameter list and reused every step.
/// <para>
/// After the first step each parameter's <c>.grad</c> is a view into its bucket (PyTorch DDP's
/// <c>gradient_as_bucket_view</c>): backward accumulates in place into existing gradients and
/// the optimiser zeroes them in place, so from then on a step costs one all-reduce and one
/// division per bucket and no copies. Every step checks that each gradient still lives where its
/// view put it; one that was replaced (e.g. set to null, or a new tensor) is copied in, and its
/// view reinstalled.
/// </para>
/// <para>
/// Each bucket ends with one flag per parameter (1 when this rank has a gradient for it): after
/// the sum, a parameter that any rank has a gradient for gets one on every rank, so all ranks
/// step the same parameters. Both paths send the same lengths, so ranks may take different ones.
/// </para>
/// </summary>
internal sealed unsafe class GradientBuckets : IDisposable
{
    private readonly List<Bucket> _buckets;
    private readonly long[] _layout;

    private sealed class Slot(int parameter, long offset, long numel, long[] shape)
    {
        public int Parameter { get; } = parameter;
        public long Offset { get; } = offset;
        public long Numel { get; } = numel;
        public long[] Shape { get; } = shape;
        public Tensor? View { get; set; }      // the bucket region shaped like the parameter
        public nint Address { get; set; }      // where that region's memory starts
    }

    private sealed class Bucket : IDisposable
    {
        public Bucket(ScalarType dtype, List<Slot> slots, long dataLength)
        {
            Dtype = dtype;
            Slots = slots;
            DataLength = dataLength;
            Buffer = zeros(dataLength + slots.Count, dtype: dtype).DetachFromDisposeScope();
            Address = TensorMemory.AddressOfBytes(Buffer);
            Has = new bool[slots.Count];
            Aliased = new bool[slots.Count];
            foreach (var s in slots)
            {
                s.View = Buffer.narrow(0, s.Offset, s.Numel).view(s.Shape).DetachFromDisposeScope();
                s.Address = TensorMemory.AddressOfBytes(s.View);
            }
        }

        public ScalarType Dtype { get; }
        public List<Slot> Slots { get; }
        public long DataLength { get; }
        public Tensor Buffer { get; }
        public nint Address { get; }   // the buffer's memory: fixed for its lifetime (Tensor.bytes costs several native calls)
        public int Length => (int)DataLength + Slots.Count;
        public bool[] Has { get; }       // per step: this rank (then any rank) has a gradient
        public bool[] Aliased { get; }   // per step: the gradient already is the slot's view

        public void Dispose()
        {
            foreach (var s in Slots) s.View?.Dispose();
            Buffer.Dispose();
        }
    }

    private GradientBuckets(List<Bucket> buckets, long[] layout)
    {
        _buckets = buckets;
        _layout = layout;
    }

    /// <summary>Number of buckets (one all-reduce each).</summary>
    public int Count => _buckets.Count;

    /// <summary>Steps that had to copy gradients in (the first, and any after a gradient was replaced).</summary>
    public long CopySteps { get; private set; }

    /// <summary>Packs the trainable parameters, in order, into buckets of at most <paramref name="bucketBytes"/> (a larger parameter gets its own).</summary>
    public static GradientBuckets Build(IReadOnlyList<Parameter> parameters, long bucketBytes)
    {
        foreach (var p in parameters.Where(p => p.requires_grad && p.dtype is not (ScalarType.Float32 or ScalarType.Float64)))
            throw new NotSupportedException($"gradient all-reduce supports float32 and float64 parameters, not {p.dtype}");
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
        // The buckets own these gradients from now on: an optimiser's flat gradient buffer must not take them back.
        Optimizers.FlatParameters.LeaveGradients(parameters);
        return new GradientBuckets(buckets, Layout(parameters));
    }

    /// <summary>True when <paramref name="parameters"/> still have the layout the buckets were built for.</summary>
    public bool Matches(IReadOnlyList<Parameter> parameters)
    {
        if (parameters.Count != _layout.Length) return false;
        for (int i = 0; i < _layout.Length; i++)
            if (LayoutOf(parameters[i]) != _layout[i]) return false;
        return true;
    }

    /// <summary>A fingerprint to compare across ranks: parameter count, elements, and a position-weighted sum of sizes.</summary>
    public double[] Fingerprint()
    {
        double weighted = 0;
        for (int i = 0; i < _layout.Length; i++) weighted += (i + 1.0) * Math.Abs(_layout[i]);
        return [_layout.Length, _layout.Sum(), weighted % 9007199254740991.0];
    }

    /// <summary>Sums every parameter's gradient over the ranks and divides by the rank count (the mean gradient), in place.</summary>
    public void Reduce(IReadOnlyList<Parameter> parameters, ICommunicator comm)
    {
        bool copied = false;
        foreach (var b in _buckets)
        {
            bool[] has = b.Has, aliased = b.Aliased;
            for (int k = 0; k < b.Slots.Count; k++)
            {
                var s = b.Slots[k];
                has[k] = aliased[k] = false;
                var p = parameters[s.Parameter];
                if (GradIsView(p, s)) { has[k] = aliased[k] = true; continue; } // backward accumulated into the bucket
                copied = true;
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                var g = p.grad;
                if (g is null) s.View!.zero_();
                else { s.View!.copy_(g); has[k] = true; }
            }
            if (b.Dtype == ScalarType.Float32) SumThenMean(new Span<float>((void*)b.Address, b.Length), b.DataLength, has, comm);
            else SumThenMean(new Span<double>((void*)b.Address, b.Length), b.DataLength, has, comm);
            // After the sum, has[k] is true when any rank had a gradient: then every rank gets one,
            // the view (which now holds the mean). Where no rank had one, the gradient stays null.
            for (int k = 0; k < b.Slots.Count; k++)
                if (has[k] && !aliased[k]) parameters[b.Slots[k].Parameter].grad = b.Slots[k].View;
        }
        if (copied) CopySteps++;
    }

    // A gradient is the slot's view when its memory starts where the view's does (and it has the
    // parameter's size, which libtorch guarantees for a gradient; a view's storage is the bucket).
    // A non-contiguous gradient is never a view; an empty one always is.
    private static bool GradIsView(Parameter p, Slot s) => TensorMemory.GradIsAt(p, s.Numel == 0 ? null : s.Address);

    // Writes the flags after the data, sums everything in one call, reads back which parameters
    // any rank had a gradient for, and divides the data by the rank count: the mean gradient.
    private static void SumThenMean<T>(Span<T> buffer, long dataLength, bool[] has, ICommunicator comm) where T : unmanaged, INumber<T>
    {
        var flags = buffer[(int)dataLength..];
        for (int k = 0; k < has.Length; k++) flags[k] = has[k] ? T.One : T.Zero;
        if (typeof(T) == typeof(float)) comm.AllReduceSum(MemoryMarshal.Cast<T, float>(buffer));
        else comm.AllReduceSum(MemoryMarshal.Cast<T, double>(buffer));
        for (int k = 0; k < has.Length; k++) has[k] = flags[k] > T.Zero;

        // Division, not multiplication by 1/size, which rounds differently unless the size is a
        // power of two: then 1/size is exact and the product is the quotient, bit for bit, and
        // several times cheaper (a vector division has a fraction of a multiplication's throughput).
        var data = buffer[..(int)dataLength];
        var size = T.CreateChecked(comm.Size);
        int i = 0;
        if (BitOperations.IsPow2(comm.Size))
        {
            var inverse = T.One / size;
            var wideInverse = new Vector<T>(inverse);
            for (; i <= data.Length - Vector<T>.Count; i += Vector<T>.Count)
                (new Vector<T>(data[i..]) * wideInverse).CopyTo(data[i..]);
            for (; i < data.Length; i++) data[i] *= inverse;
            return;
        }
        var wide = new Vector<T>(size);
        for (; i <= data.Length - Vector<T>.Count; i += Vector<T>.Count)
            (new Vector<T>(data[i..]) / wide).CopyTo(data[i..]);
        for (; i < data.Length; i++) data[i] /= size;
    }

    private static long[] Layout(IReadOnlyList<Parameter> parameters) => parameters.Select(LayoutOf).ToArray();

    // Elements of a trainable parameter, negative for float64; 0 for a frozen one.
    private static long LayoutOf(Parameter p) => p.requires_grad ? p.numel() * (p.dtype == ScalarType.Float64 ? -1 : 1) : 0;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var b in _buckets) b.Dispose();
    }
}
