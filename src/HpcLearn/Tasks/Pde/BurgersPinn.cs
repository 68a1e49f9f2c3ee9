using static TorchSharp.torch;

namespace HpcLearn.Tasks.Pde;

/// <summary>
/// A physics-informed neural network for Burgers' equation (Raissi et al. 2019, continuous-time
/// inference): <see cref="PinnSolver"/> on <see cref="PdeProblems.Burgers"/>. Loss = MSE(u_θ − u) on
/// the initial/boundary points + MSE(f) on the collocation points, f = u_t + u u_x − ν u_xx by
/// automatic differentiation; Adam warm-up, then full-batch L-BFGS with a strong-Wolfe line search.
/// </summary>
public sealed class BurgersPinn : IDisposable
{
    private readonly PinnSolver _solver;

    /// <summary>Draws the training points and builds (or takes) the network.</summary>
    /// <param name="options">Settings; validated here.</param>
    /// <param name="model">A network of one's own (2 inputs, 1 output); null for one from <see cref="BurgersPinnOptions.Layers"/>.</param>
    public BurgersPinn(BurgersPinnOptions options, PinnModel? model = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        if (model is not null && (model.Inputs != 2 || model.Outputs != 1))
            throw new UserError($"a Burgers PINN needs a network with 2 inputs (x, t) and 1 output (u); got {model.Inputs} inputs and {model.Outputs} outputs");
        _solver = new PinnSolver(PdeProblems.Burgers(options.Nu, options.InitialBoundaryPoints, options.Seed), options.ToPinnOptions(), model);
    }

    /// <summary>The settings.</summary>
    public BurgersPinnOptions Options { get; }
    /// <summary>The general solver this wraps.</summary>
    public PinnSolver Solver => _solver;
    /// <summary>The network u_θ(x, t).</summary>
    public PinnModel Model => _solver.Model;
    /// <summary>Initial/boundary points (N_u, 2) as (x, t).</summary>
    public Tensor InitialBoundaryPoints => _solver.ConditionPoints[0];
    /// <summary>Their values u (N_u, 1).</summary>
    public Tensor InitialBoundaryValues => _solver.ConditionTargets[0]!;
    /// <summary>Collocation points (N_f, 2) as (x, t).</summary>
    public Tensor CollocationPoints => _solver.CollocationPoints;

    /// <summary>
    /// f = u_t + u u_x − ν u_xx of the network at <paramref name="points"/> (N, 2), (N, 1), with the
    /// graph kept so that it can be differentiated with respect to the parameters.
    /// </summary>
    public Tensor Residual(Tensor points) => _solver.Residual(points);

    /// <summary>MSE(u_θ − u) on the initial/boundary points + MSE(f) on the collocation points (a 0-d tensor).</summary>
    public Tensor Loss() => _solver.Loss();

    /// <summary>The current loss as a number.</summary>
    public double CurrentLoss() => _solver.CurrentLoss();

    /// <summary>Adam for <see cref="BurgersPinnOptions.AdamIterations"/>, then L-BFGS; <paramref name="log"/> gets progress lines.</summary>
    public PinnResult Train(Action<string>? log = null)
    {
        var r = _solver.Train(log);
        if (r.Diverged is not null)
            throw new UserError($"{r.Diverged}; try a lower adam_learning_rate or Float64");
        return r;
    }

    /// <summary>u_θ on the grid xs × ts: result[i, j] = u_θ(xs[i], ts[j]).</summary>
    public double[,] Predict(double[] xs, double[] ts) => _solver.Predict(xs, ts);

    /// <summary>‖u_θ − u_exact‖₂ / ‖u_exact‖₂ over the grid (exact[i, j] = u(xs[i], ts[j]), e.g. <see cref="BurgersExact.Grid"/>).</summary>
    public double RelativeL2Error(double[,] exact, double[] xs, double[] ts) => _solver.RelativeL2Error(exact, xs, ts);

    /// <inheritdoc />
    public void Dispose() => _solver.Dispose();
}
