using static TorchSharp.torch;

namespace HpcLearn.Tasks.Pde;

/// <summary>
/// u and ∂u/∂<see cref="Variable"/> agree on the two faces Variable = min and Variable = max, at
/// matching values of the other coordinate.
/// </summary>
/// <param name="Variable">The periodic variable (x or y).</param>
public sealed record PeriodicCondition(string Variable) : PdeCondition
{
    internal override PreparedCondition Prepare(PdeDomain domain, Random rng, ScalarType dtype)
    {
        RequirePoints($"the periodic condition on {Variable}");
        int v = domain.IndexOf(Variable), d = domain.Dimensions;
        var low = FacePoints(domain, v, domain.Lower[v], Points, rng);
        var high = (double[])low.Clone();
        for (int k = 0; k < Points; k++) high[d * k + v] = domain.Upper[v];
        return PreparedCondition.Periodic(domain, low, high, Variable, dtype);
    }
}
