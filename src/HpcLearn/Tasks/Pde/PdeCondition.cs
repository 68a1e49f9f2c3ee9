using static TorchSharp.torch;

namespace HpcLearn.Tasks.Pde;

/// <summary>
/// An initial or boundary condition, as data: where it holds and what u (or its normal derivative)
/// must be there. The solver adds the mean squared misfit at the condition's points to the loss.
/// See <see cref="DirichletCondition"/>, <see cref="NeumannCondition"/>, <see cref="PeriodicCondition"/>
/// and <see cref="DataCondition"/>.
/// </summary>
public abstract record PdeCondition
{
    /// <summary>Number of points the condition is enforced at (drawn once, at random, from the seed).</summary>
    public int Points { get; init; } = 100;

    /// <summary>The condition's misfit at its points, ready for the loss.</summary>
    internal abstract PreparedCondition Prepare(PdeDomain domain, Random rng, ScalarType dtype);

    /// <summary>
    /// <paramref name="n"/> points on the face where <paramref name="variable"/> is at its min or max,
    /// the other coordinate stratified at random over its range; flattened (n, 2).
    /// </summary>
    internal static double[] FacePoints(PdeDomain domain, int variable, double value, int n, Random rng)
    {
        int d = domain.Dimensions;
        var points = new double[d * n];
        for (int k = 0; k < n; k++)
            for (int axis = 0; axis < d; axis++)
                points[d * k + axis] = axis == variable ? value
                    : domain.Lower[axis] + (domain.Upper[axis] - domain.Lower[axis]) * (k + rng.NextDouble()) / n;
        return points;
    }

    /// <summary>A <see cref="UserError"/> when <see cref="Points"/> is below 1.</summary>
    protected void RequirePoints(string what)
    {
        if (Points < 1) throw new UserError($"{what} needs at least 1 point (got {Points})");
    }

    /// <summary>Evaluates <paramref name="value"/> at each of the flattened (n, d) points.</summary>
    internal static double[] Values(double[] points, int d, Func<double[], double> value)
    {
        var values = new double[points.Length / d];
        for (int k = 0; k < values.Length; k++) values[k] = value(points.AsSpan(k * d, d).ToArray());
        return values;
    }
}
