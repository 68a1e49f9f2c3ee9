using static TorchSharp.torch;

namespace HpcLearn.Tasks.Pde;

/// <summary>∂u/∂<see cref="Variable"/> = g on the face where <see cref="Variable"/> is at its <see cref="Side"/>.</summary>
/// <param name="Variable">The variable that is fixed on the face, and along which u is differentiated.</param>
/// <param name="Side">Its min or max.</param>
/// <param name="Value">g at a point.</param>
public sealed record NeumannCondition(string Variable, BoundarySide Side, Func<double[], double> Value) : PdeCondition
{
    internal override PreparedCondition Prepare(PdeDomain domain, Random rng, ScalarType dtype)
    {
        RequirePoints($"the Neumann condition on {Variable} = {Side.ToString().ToLowerInvariant()}");
        int v = domain.IndexOf(Variable), d = domain.Dimensions;
        var points = FacePoints(domain, v, Side == BoundarySide.Min ? domain.Lower[v] : domain.Upper[v], Points, rng);
        return PreparedCondition.Values(domain, points, Values(points, d, Value), derivative: Variable, dtype);
    }
}
