using System.Globalization;

namespace HpcLearn.Tasks.Pde;

/// <summary>
/// Where a PDE holds: a rectangle in two variables, either space × time (<c>x</c>, <c>t</c>: an
/// interval evolving in time) or a steady 2-D rectangle (<c>x</c>, <c>y</c>). Variable i runs from
/// <see cref="Lower"/>[i] to <see cref="Upper"/>[i].
/// </summary>
public sealed record PdeDomain
{
    private PdeDomain(string[] variables, double[] lower, double[] upper)
    {
        for (int i = 0; i < variables.Length; i++)
            if (!(lower[i] < upper[i]))
                throw new UserError(string.Create(CultureInfo.InvariantCulture,
                    $"domain: {variables[i]} min ({lower[i]}) must be less than {variables[i]} max ({upper[i]})"));
        Variables = variables;
        Lower = lower;
        Upper = upper;
    }

    /// <summary>x ∈ [xMin, xMax], t ∈ [tMin, tMax]; a <see cref="UserError"/> when a min is not below its max.</summary>
    public static PdeDomain SpaceTime(double xMin, double xMax, double tMin, double tMax) => new(["x", "t"], [xMin, tMin], [xMax, tMax]);

    /// <summary>The steady rectangle x ∈ [xMin, xMax], y ∈ [yMin, yMax].</summary>
    public static PdeDomain Rectangle(double xMin, double xMax, double yMin, double yMax) => new(["x", "y"], [xMin, yMin], [xMax, yMax]);

    /// <summary>Variable names, in input order: (x, t) or (x, y).</summary>
    public IReadOnlyList<string> Variables { get; }

    /// <summary>Lower bounds, one per variable.</summary>
    public IReadOnlyList<double> Lower { get; }

    /// <summary>Upper bounds, one per variable.</summary>
    public IReadOnlyList<double> Upper { get; }

    /// <summary>Number of variables (the network's inputs).</summary>
    public int Dimensions => Variables.Count;

    /// <summary>Whether the second variable is time.</summary>
    public bool IsTimeDependent => Variables[^1] == "t";

    /// <summary>The index of variable <paramref name="name"/>; a <see cref="UserError"/> naming the known ones otherwise.</summary>
    public int IndexOf(string name)
    {
        for (int i = 0; i < Variables.Count; i++) if (Variables[i] == name) return i;
        throw new UserError($"the domain has no variable '{name}'; its variables are {string.Join(", ", Variables)}");
    }

    /// <summary>
    /// <paramref name="n"/> points by Latin hypercube, flattened (n, d): each axis cut into n strata,
    /// one point per stratum, strata paired at random.
    /// </summary>
    public double[] LatinHypercube(int n, Random rng)
    {
        int d = Dimensions;
        var points = new double[d * n];
        for (int axis = 0; axis < d; axis++)
        {
            var strata = Enumerable.Range(0, n).ToArray();
            rng.Shuffle(strata);
            double width = Upper[axis] - Lower[axis];
            for (int k = 0; k < n; k++)
                points[d * k + axis] = Lower[axis] + width * (strata[k] + rng.NextDouble()) / n;
        }
        return points;
    }

    /// <summary>
    /// The evaluation grid. Space × time: 256 x-values by linspace and 100 t-values from tMin in
    /// steps of (tMax − tMin)/100 (for Burgers, x = linspace(−1, 1, 256), t = 0, 0.01, …, 0.99);
    /// a steady rectangle: 101 × 101 by linspace.
    /// </summary>
    public (double[] First, double[] Second) EvaluationGrid()
    {
        if (IsTimeDependent)
            return (Linspace(Lower[0], Upper[0], 256), Enumerable.Range(0, 100).Select(j => Lower[1] + (Upper[1] - Lower[1]) * j / 100.0).ToArray());
        return (Linspace(Lower[0], Upper[0], 101), Linspace(Lower[1], Upper[1], 101));
    }

    /// <summary>n evenly spaced values from a to b inclusive.</summary>
    public static double[] Linspace(double a, double b, int n) =>
        Enumerable.Range(0, n).Select(i => i == n - 1 ? b : a + (b - a) * i / (n - 1)).ToArray();
}
