using static TorchSharp.torch;

namespace HpcLearn.Tasks.Pde;

/// <summary>
/// u = given values at given points (anywhere in the domain): measured data, or a fixed set of
/// initial/boundary points such as Raissi's for Burgers. <see cref="PdeCondition.Points"/> is ignored.
/// </summary>
/// <param name="Coordinates">The points, flattened (n, d) as (x, t) or (x, y) pairs.</param>
/// <param name="Targets">u at each point (n).</param>
public sealed record DataCondition(double[] Coordinates, double[] Targets) : PdeCondition
{
    internal override PreparedCondition Prepare(PdeDomain domain, Random rng, ScalarType dtype)
    {
        int d = domain.Dimensions;
        if (Targets.Length < 1 || Coordinates.Length != d * Targets.Length)
            throw new UserError($"a data condition needs at least 1 point and {d} coordinates per value; got {Coordinates.Length} coordinates for {Targets.Length} values");
        return PreparedCondition.Values(domain, Coordinates, Targets, derivative: null, dtype);
    }
}
