using static TorchSharp.torch;

namespace HpcLearn.Tasks.Pde;

/// <summary>
/// A PDE stated as data and one function: the residual f(u, u_x, u_t, u_xx, …) that is zero where
/// the PDE holds, the domain, and the initial/boundary conditions. <see cref="PinnSolver"/> trains
/// a network u_θ to make both the residual (at collocation points) and the conditions' misfits small.
/// <code>
/// // Heat equation u_t = k u_xx:  f = u_t − k u_xx  (Scalar minusK = -k, kept in a field)
/// var problem = new PdeProblem("heat", PdeDomain.SpaceTime(-1, 1, 0, 1),
///     f => f.Ut.add(f.Uxx, minusK),
///     [DirichletCondition.Initial(p => Math.Sin(Math.PI * p[0])),
///      new DirichletCondition("x", BoundarySide.Min, _ => 0), new DirichletCondition("x", BoundarySide.Max, _ => 0)]);
/// </code>
/// </summary>
/// <param name="Name">Shown in messages and model.json (e.g. burgers).</param>
/// <param name="Domain">Where the PDE holds.</param>
/// <param name="Residual">f at the points of a <see cref="PdeFields"/>: a tensor of shape (N, 1) or (N).</param>
/// <param name="Conditions">Initial and boundary conditions.</param>
public sealed record PdeProblem(string Name, PdeDomain Domain, Func<PdeFields, Tensor> Residual, IReadOnlyList<PdeCondition> Conditions)
{
    /// <summary>
    /// The exact solution on a grid, if known: exact(first, second)[i, j] = u(first[i], second[j]);
    /// used for the relative L2 error and the plots.
    /// </summary>
    public Func<double[], double[], double[,]>? Exact { get; init; }

    /// <summary>
    /// The conditions as an exact form of the output (<see cref="HardConstraint"/>), used when
    /// <see cref="PinnOptions.HardConstraints"/> is set; null if the problem has none.
    /// </summary>
    public HardConstraint? Hard { get; init; }
}
