using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

using HpcLearn.Training.Distributed;

namespace HpcLearn.Training.Optimizers;

/// <summary>
/// Every parameter of an optimiser as a view into one flat buffer, and every gradient as a view
/// into another, so that an element-wise update (Adam's eight operations) runs once over all of
/// them instead of once per parameter. A small network spends most of an optimiser step on
/// per-operation cost, not arithmetic: a 6-parameter MLP's Adam step is 48 libtorch calls one way
/// and 8 the other (PyTorch's <c>foreach</c>/fused optimisers do the same; TorchSharp exposes neither).
/// <para>
/// The parameters become views when the optimiser is made. The gradients become views at the first
/// step where every parameter has one (their values copied in); from then on backward accumulates
/// in place into them. Before each step <see cref="Ready"/> checks that every parameter and
/// gradient is still where its view put it. A parameter without a gradient sends that step down
/// the per-parameter path, which skips it as PyTorch does; a gradient that was replaced (a new
/// tensor) is copied in and its view installed again, and after <see cref="MaxReinstalls"/> such
/// steps (something else keeps its own gradient buffers, as data-parallel buckets do) the flat
/// path is given up for good; at once when the parameters' gradients belong to data-parallel
/// buckets (<see cref="LeaveGradients"/>). Either path does the same arithmetic on each element.
/// Parameters are flattened only when all are contiguous, share a dtype and a device, and no two
/// share memory (tied weights keep the per-parameter path).
/// </para>
/// </summary>
internal sealed class FlatParameters : IDisposable
{
    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly nint[] _dataAt, _gradAt;
    private readonly Tensor[] _gradViews;

    private FlatParameters(IReadOnlyList<Parameter> parameters, Tensor data, Tensor grad, long[] offsets)
    {
        _parameters = parameters;
        Data = data;
        Grad = grad;
        Offsets = offsets;
        _dataAt = new nint[parameters.Count];
        _gradAt = new nint[parameters.Count];
        _gradViews = new Tensor[parameters.Count];
        using var noGrad = no_grad();
        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            long n = p.numel();
            var dataView = data.narrow(0, offsets[i], n).view(p.shape);
            dataView.copy_(p);
            p.set_(dataView);
            dataView.Dispose();
            _gradViews[i] = grad.narrow(0, offsets[i], n).view(p.shape).DetachFromDisposeScope();
            _dataAt[i] = TensorMemory.Address(p);
            _gradAt[i] = TensorMemory.Address(_gradViews[i]);
        }
    }

    /// <summary>All parameters, one after another.</summary>
    public Tensor Data { get; }

    /// <summary>All gradients, laid out as <see cref="Data"/>.</summary>
    public Tensor Grad { get; }

    /// <summary>Where each parameter starts in <see cref="Data"/> (elements).</summary>
    public long[] Offsets { get; }

    /// <summary>The flat layout of <paramref name="parameters"/>, or null where it cannot be made (see the class remarks).</summary>
    public static FlatParameters? TryCreate(IReadOnlyList<Parameter> parameters)
    {
        if (parameters.Count < 2) return null;
        var dtype = parameters[0].dtype;
        if (dtype is not (ScalarType.Float32 or ScalarType.Float64)) return null;
        var device = parameters[0].device;
        var seen = new HashSet<nint>();
        var offsets = new long[parameters.Count];
        long total = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            if (p.dtype != dtype || p.device.type != device.type || p.device.index != device.index) return null;
            if (!p.is_contiguous() || p.numel() == 0 || !p.requires_grad) return null;
            nint at = TensorMemory.Address(p);
            if (at == 0 || !seen.Add(at)) return null;   // tied weights: one tensor listed twice, or two views of one
            offsets[i] = total;
            total += p.numel();
        }
        var data = zeros(total, dtype: dtype, device: device).DetachFromDisposeScope();
        var grad = zeros(total, dtype: dtype, device: device).DetachFromDisposeScope();
        return new FlatParameters(parameters, data, grad, offsets);
    }

    /// <summary>Steps with a gradient copied in and its view installed again, after which the flat path is given up.</summary>
    public const int MaxReinstalls = 2;

    private int _reinstalls;
    private bool _gaveUp;

    /// <summary>
    /// True when every parameter lives in <see cref="Data"/> and every gradient in <see cref="Grad"/>
    /// (asked of LibTorchSharp directly: a few native calls per parameter, no libtorch operations).
    /// </summary>
    public bool Intact()
    {
        if (_gaveUp) return false;
        for (int i = 0; i < _parameters.Count; i++)
            if (!TensorMemory.GradIsAt(_parameters[i], _gradAt[i]) || TensorMemory.Address(_parameters[i]) != _dataAt[i]) return false;
        return true;
    }

    // Parameters whose gradients another buffer owns (data-parallel buckets), by object identity.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Parameter, object> Owned = new();

    /// <summary>Marks the gradients of <paramref name="parameters"/> as another buffer's: an optimiser over them steps one parameter at a time.</summary>
    public static void LeaveGradients(IEnumerable<Parameter> parameters)
    {
        foreach (var p in parameters) Owned.AddOrUpdate(p, Owned);
    }

    /// <summary>
    /// <see cref="Intact"/>, after moving into <see cref="Grad"/> any gradient that lives elsewhere;
    /// false when a parameter has no gradient or was given new storage (the per-parameter path then).
    /// </summary>
    public bool Ready()
    {
        for (int i = 0; i < _parameters.Count && !_gaveUp; i++) _gaveUp = Owned.TryGetValue(_parameters[i], out _);
        if (Intact()) return true;
        if (_gaveUp) return false;
        for (int i = 0; i < _parameters.Count; i++)
            if (TensorMemory.Address(_parameters[i]) != _dataAt[i] || !TensorMemory.GradIsAt(_parameters[i], null)) return false;
        if (++_reinstalls > MaxReinstalls) { _gaveUp = true; return false; }
        using var noGrad = no_grad();
        for (int i = 0; i < _parameters.Count; i++)
        {
            var p = _parameters[i];
            if (TensorMemory.GradIsAt(p, _gradAt[i])) continue;
            using (var g = p.grad!) _gradViews[i].copy_(g);
            p.grad = _gradViews[i];
        }
        return true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var v in _gradViews) v.Dispose();
        Grad.Dispose();
        // Data is the parameters' storage: they keep it alive; this handle alone goes.
        Data.Dispose();
    }
}
