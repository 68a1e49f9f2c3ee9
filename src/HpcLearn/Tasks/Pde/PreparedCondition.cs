using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Pde;

/// <summary>A condition's points as tensors, and its misfit for the current network.</summary>
internal sealed class PreparedCondition : IDisposable
{
    private static readonly Scalar MinusOne = -1.0;
    private readonly PdeDomain _domain;
    private readonly string? _derivative;     // Neumann: the variable of ∂u/∂v; periodic: the periodic variable
    private readonly Tensor? _partner;        // periodic: the matching points on the max face (M, d)

    private PreparedCondition(PdeDomain domain, Tensor points, Tensor? targets, Tensor? partner, string? derivative)
    {
        _domain = domain;
        Points = points;
        Targets = targets;
        _partner = partner;
        _derivative = derivative;
    }

    /// <summary>The condition's points (M, d).</summary>
    public Tensor Points { get; }

    /// <summary>Target values (M, 1); null for a periodic condition.</summary>
    public Tensor? Targets { get; }

    /// <summary>u = targets (derivative null) or ∂u/∂derivative = targets at the points.</summary>
    public static PreparedCondition Values(PdeDomain domain, double[] points, double[] targets, string? derivative, ScalarType dtype) =>
        new(domain, tensor(points, [targets.Length, domain.Dimensions], dtype: dtype), tensor(targets, [targets.Length, 1], dtype: dtype), null, derivative);

    /// <summary>u and ∂u/∂variable equal at <paramref name="low"/> and <paramref name="high"/> (both flattened (M, d)).</summary>
    public static PreparedCondition Periodic(PdeDomain domain, double[] low, double[] high, string variable, ScalarType dtype)
    {
        long m = low.Length / domain.Dimensions;
        return new(domain, tensor(low, [m, domain.Dimensions], dtype: dtype), null, tensor(high, [m, domain.Dimensions], dtype: dtype), variable);
    }

    /// <summary>The misfit of <paramref name="model"/>: (M, 1), or (2M, 1) for a periodic condition (values, then derivatives).</summary>
    public Tensor Misfit(PinnModel model)
    {
        if (_partner is not null)
        {
            var low = Fields(model, Points);
            var high = Fields(model, _partner);
            return cat([low.U.add(high.U, MinusOne), low.D(_derivative!).add(high.D(_derivative!), MinusOne)], 0);
        }
        var value = _derivative is null ? model.forward(Points) : Fields(model, Points).D(_derivative);
        return value.add(Targets!, MinusOne);
    }

    private PdeFields Fields(PinnModel model, Tensor points)
    {
        var x = points.detach().requires_grad_(true);
        return new PdeFields(_domain, x, model.forward(x));
    }

    public void Dispose()
    {
        Points.Dispose();
        Targets?.Dispose();
        _partner?.Dispose();
    }
}
