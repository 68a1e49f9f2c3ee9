using static TorchSharp.torch;

namespace HpcLearn.Tasks.Pde;

/// <summary>
/// u = g on the face where <see cref="Variable"/> is at its <see cref="Side"/>; with variable t and
/// side Min, the initial condition u(x, t₀) = g.
/// </summary>
/// <param name="Variable">The variable that is fixed on the face (x, t or y).</param>
/// <param name="Side">Its min or max.</param>
/// <param name="Value">g at a point (x, t) or (x, y).</param>
public sealed record DirichletCondition(string Variable, BoundarySide Side, Func<double[], double> Value) : PdeCondition
{
    /// <summary>The initial condition u(x, t_min) = g(x, t_min).</summary>
    public static DirichletCondition Initial(Func<double[], double> value, int points = 100) => new("t", BoundarySide.Min, value) { Points = points };

    internal override PreparedCondition Prepare(PdeDomain domain, Random rng, ScalarType dtype)
    {
        RequirePoints($"the Dirichlet condition on {Variable} = {Side.ToString().ToLowerInvariant()}");
        int v = domain.IndexOf(Variable), d = domain.Dimensions;
        var points = FacePoints(domain, v, Side == BoundarySide.Min ? domain.Lower[v] : domain.Upper[v], Points, rng);
        return PreparedCondition.Values(domain, points, Values(points, d, Value), derivative: null, dtype);
    }
}
