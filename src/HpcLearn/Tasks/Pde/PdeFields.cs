using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Pde;

/// <summary>
/// What a PDE's residual function sees at N points: the coordinates, u_θ and its derivatives by
/// automatic differentiation (each (N, 1), computed once on first use, with the graph kept so the
/// loss can be differentiated with respect to the network's parameters).
/// <para>
/// Write the residual with TorchSharp operations that take no implicit <c>Scalar</c>:
/// <c>a.add(b, one)</c> with a <see cref="Scalar"/> kept in a static field rather than <c>a + b</c>
/// or <c>a * 0.5</c>, and constants as tensors (see docs/training.md: a temporary Scalar can be
/// freed by the garbage collector while libtorch uses it).
/// </para>
/// </summary>
public sealed class PdeFields
{
    private readonly PdeDomain _domain;
    private readonly Tensor _points;                       // (N, d), requires grad
    private Tensor? _gradient;                             // (N, d): ∂u/∂each variable
    private readonly Dictionary<int, Tensor> _second = new();  // i → (N, d): ∂(∂u/∂v_i)/∂each variable

    internal PdeFields(PdeDomain domain, Tensor points, Tensor u)
    {
        _domain = domain;
        _points = points;
        U = u;
    }

    /// <summary>The points (N, d), as the network's dtype.</summary>
    public Tensor Points => _points;

    /// <summary>Number of points N.</summary>
    public long Count => _points.shape[0];

    /// <summary>u_θ at the points (N, 1).</summary>
    public Tensor U { get; }

    /// <summary>The coordinate <paramref name="variable"/> (x, t or y) of the points (N, 1).</summary>
    public Tensor Coordinate(string variable) => _points.narrow(1, _domain.IndexOf(variable), 1);

    /// <summary>∂u/∂<paramref name="variable"/> (N, 1).</summary>
    public Tensor D(string variable) => Gradient().narrow(1, _domain.IndexOf(variable), 1);

    /// <summary>∂²u/∂<paramref name="first"/>∂<paramref name="second"/> (N, 1).</summary>
    public Tensor D(string first, string second)
    {
        int i = _domain.IndexOf(first), j = _domain.IndexOf(second);
        if (!_second.TryGetValue(i, out var row))
        {
            var di = Gradient().narrow(1, i, 1);
            row = autograd.grad([di], [_points], [ones_like(di)], retain_graph: true, create_graph: true)[0];
            _second[i] = row;
        }
        return row.narrow(1, j, 1);
    }

    /// <summary>x (N, 1).</summary>
    public Tensor X => Coordinate("x");
    /// <summary>t (N, 1), for space × time domains.</summary>
    public Tensor T => Coordinate("t");
    /// <summary>y (N, 1), for steady 2-D domains.</summary>
    public Tensor Y => Coordinate("y");
    /// <summary>u_x.</summary>
    public Tensor Ux => D("x");
    /// <summary>u_t.</summary>
    public Tensor Ut => D("t");
    /// <summary>u_y.</summary>
    public Tensor Uy => D("y");
    /// <summary>u_xx.</summary>
    public Tensor Uxx => D("x", "x");
    /// <summary>u_yy.</summary>
    public Tensor Uyy => D("y", "y");
    /// <summary>u_tt.</summary>
    public Tensor Utt => D("t", "t");

    // create_graph needs retain_graph too: TorchSharp defaults it to false and libtorch then aborts.
    private Tensor Gradient() =>
        _gradient ??= autograd.grad([U], [_points], [ones_like(U)], retain_graph: true, create_graph: true)[0];
}
