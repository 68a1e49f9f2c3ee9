using static TorchSharp.torch;

namespace HpcLearn.Tasks.Pde;

/// <summary>
/// Conditions built into the network's output instead of the loss (Lagaris et al. 1998; Lu et al.
/// 2021): u(p) = G(p) + D(p)·N(p), with G meeting the initial/boundary values and D zero exactly where
/// they apply, so u meets them for any network N. Both are tensor functions of the points (N, d) →
/// (N, 1), so the PDE's derivatives flow through them by autograd.
/// <code>
/// // Burgers: u(x, 0) = −sin πx, u(±1, t) = 0  →  G = −sin πx, D = t (1 − x²)
/// new HardConstraint(p => p.narrow(1, 0, 1).mul(Math.PI).sin().neg(),
///                    p => p.narrow(1, 1, 1).mul(p.narrow(1, 0, 1).square().neg().add(1.0)));
/// </code>
/// </summary>
/// <param name="Particular">G: meets the conditions; null for G = 0.</param>
/// <param name="Distance">D: zero where a condition applies, non-zero inside the domain.</param>
public sealed record HardConstraint(Func<Tensor, Tensor>? Particular, Func<Tensor, Tensor> Distance)
{
    /// <summary>u = G + D·N at <paramref name="points"/> (N, d) for the network's output <paramref name="network"/> (N, 1).</summary>
    public Tensor Apply(Tensor points, Tensor network)
    {
        var u = Distance(points).mul(network);
        return Particular is null ? u : Particular(points).add(u);
    }
}
