using System.Diagnostics;
using HpcLearn.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Pde;

/// <summary>
/// A physics-informed neural network for Burgers' equation (Raissi et al. 2019, continuous-time
/// inference): loss = MSE(u_θ − u) on the initial/boundary points + MSE(f) on the collocation
/// points, f = u_t + u u_x − ν u_xx by automatic differentiation; Adam warm-up, then full-batch
/// L-BFGS with a strong-Wolfe line search (<see cref="Lbfgs"/>).
/// </summary>
public sealed class BurgersPinn : IDisposable
{
    private static readonly Scalar One = 1.0, MinusOne = -1.0;
    private readonly Tensor _xu, _u, _xf, _nu;   // (Nu, 2), (Nu, 1), (Nf, 2), ()

    /// <summary>Draws the training points and builds (or takes) the network.</summary>
    /// <param name="options">Settings; validated here.</param>
    /// <param name="model">A network of one's own (2 inputs, 1 output); null for one from <see cref="BurgersPinnOptions.Layers"/>.</param>
    public BurgersPinn(BurgersPinnOptions options, PinnModel? model = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        var dtype = options.Float64 ? ScalarType.Float64 : ScalarType.Float32;
        if (model is not null && (model.Inputs != 2 || model.Outputs != 1))
            throw new UserError($"a Burgers PINN needs a network with 2 inputs (x, t) and 1 output (u); got {model.Inputs} inputs and {model.Outputs} outputs");
        if (model is not null && model.Dtype != dtype)
            throw new UserError($"the network is {model.Dtype} but the options ask for {dtype}; set Float64 to match");
        if (model is null) random.manual_seed(options.Seed);
        Model = model ?? new PinnModel(options.Layers, dtype: dtype);

        var rng = new Random(options.Seed);
        var (xu, u) = InitialBoundary(options.InitialBoundaryPoints, rng);
        var xf = LatinHypercube(options.CollocationPoints, rng);
        _xu = tensor(xu, [options.InitialBoundaryPoints, 2], dtype: dtype);
        _u = tensor(u, [options.InitialBoundaryPoints, 1], dtype: dtype);
        _xf = tensor(xf, [options.CollocationPoints, 2], dtype: dtype);
        _nu = tensor(options.Nu, dtype: dtype);
    }

    /// <summary>The settings.</summary>
    public BurgersPinnOptions Options { get; }
    /// <summary>The network u_θ(x, t).</summary>
    public PinnModel Model { get; }
    /// <summary>Initial/boundary points (N_u, 2) as (x, t).</summary>
    public Tensor InitialBoundaryPoints => _xu;
    /// <summary>Their values u (N_u, 1).</summary>
    public Tensor InitialBoundaryValues => _u;
    /// <summary>Collocation points (N_f, 2) as (x, t).</summary>
    public Tensor CollocationPoints => _xf;

    /// <summary>
    /// f = u_t + u u_x − ν u_xx of the network at <paramref name="points"/> (N, 2), (N, 1), with the
    /// graph kept so that it can be differentiated with respect to the parameters.
    /// </summary>
    public Tensor Residual(Tensor points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.ndim != 2 || points.shape[1] != 2 || points.shape[0] < 1)
            throw new UserError($"residual points must have shape (N, 2) with N ≥ 1, as (x, t); got ({string.Join(", ", points.shape)})");
        if (points.dtype != Model.Dtype)
            throw new UserError($"residual points are {points.dtype} but the network is {Model.Dtype}");
        var x = points.detach().requires_grad_(true);                        // (N, 2)
        var u = Model.forward(x);                                            // (N, 1)
        // create_graph needs retain_graph too: TorchSharp defaults it to false and libtorch then aborts.
        var du = autograd.grad([u], [x], [ones_like(u)], retain_graph: true, create_graph: true)[0];  // (N, 2)
        var ux = du.narrow(1, 0, 1);                                         // (N, 1)
        var ut = du.narrow(1, 1, 1);                                         // (N, 1)
        var uxx = autograd.grad([ux], [x], [ones_like(ux)], retain_graph: true, create_graph: true)[0].narrow(1, 0, 1);
        return ut.add(u.mul(ux), One).add_(uxx.mul(_nu), MinusOne);               // (N, 1)
    }

    /// <summary>MSE(u_θ − u) on the initial/boundary points + MSE(f) on the collocation points (a 0-d tensor).</summary>
    public Tensor Loss()
    {
        var e = Model.forward(_xu).add_(_u, MinusOne);                             // (N_u, 1)
        var f = Residual(_xf);                                               // (N_f, 1)
        return e.mul(e).mean().add(f.mul(f).mean(), One);
    }

    /// <summary>The current loss as a number.</summary>
    public double CurrentLoss()
    {
        using var scope = NewDisposeScope();
        return Loss().ToDouble();
    }

    /// <summary>Adam for <see cref="BurgersPinnOptions.AdamIterations"/>, then L-BFGS; <paramref name="log"/> gets progress lines.</summary>
    public BurgersPinnResult Train(Action<string>? log = null)
    {
        double initial = CurrentLoss();
        log?.Invoke($"initial loss {initial:E3}");
        var sw = Stopwatch.StartNew();
        using (var adam = new Adam(Model.parameters(), Options.AdamLearningRate, decoupled: false))
        {
            for (int i = 1; i <= Options.AdamIterations; i++)
            {
                using var scope = NewDisposeScope();
                adam.ZeroGrad();
                var loss = Loss();
                loss.backward();
                adam.Step();
                if (log is not null && (i % 500 == 0 || i == Options.AdamIterations)) log($"adam {i}: loss {loss.ToDouble():E3}");
            }
        }
        double adamSeconds = sw.Elapsed.TotalSeconds, adamLoss = CurrentLoss();
        if (!double.IsFinite(adamLoss))
            throw new UserError($"the PINN loss became {adamLoss} during Adam; try a lower adam_learning_rate or Float64");
        sw.Restart();
        LbfgsResult? lbfgs = null;
        if (Options.LbfgsIterations > 0)
        {
            lbfgs = new Lbfgs(Model.parameters(), toleranceChange: Options.LbfgsToleranceChange).Minimize(() =>
            {
                Model.zero_grad();
                var loss = Loss();
                loss.backward();
                return loss;
            }, Options.LbfgsIterations);
            log?.Invoke($"lbfgs: {lbfgs}");
        }
        double lbfgsSeconds = sw.Elapsed.TotalSeconds;
        return new(initial, adamLoss, CurrentLoss(), adamSeconds, lbfgsSeconds, lbfgs);
    }

    /// <summary>u_θ on the grid xs × ts: result[i, j] = u_θ(xs[i], ts[j]).</summary>
    public double[,] Predict(double[] xs, double[] ts)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var points = new double[xs.Length * ts.Length * 2];
        for (int i = 0, k = 0; i < xs.Length; i++)
            for (int j = 0; j < ts.Length; j++) { points[k++] = xs[i]; points[k++] = ts[j]; }
        var input = tensor(points, [xs.Length * ts.Length, 2], dtype: Model.Dtype);
        var u = Model.forward(input).to_type(ScalarType.Float64).data<double>().ToArray();
        var grid = new double[xs.Length, ts.Length];
        for (int i = 0, k = 0; i < xs.Length; i++)
            for (int j = 0; j < ts.Length; j++) grid[i, j] = u[k++];
        return grid;
    }

    /// <summary>‖u_θ − u_exact‖₂ / ‖u_exact‖₂ over the grid (exact[i, j] = u(xs[i], ts[j]), e.g. <see cref="BurgersExact.Grid"/>).</summary>
    public double RelativeL2Error(double[,] exact, double[] xs, double[] ts)
    {
        if (exact.GetLength(0) != xs.Length || exact.GetLength(1) != ts.Length)
            throw new ArgumentException($"exact grid is {exact.GetLength(0)} × {exact.GetLength(1)} but xs × ts is {xs.Length} × {ts.Length}", nameof(exact));
        var predicted = Predict(xs, ts);
        double num = 0, den = 0;
        for (int i = 0; i < xs.Length; i++)
            for (int j = 0; j < ts.Length; j++)
            {
                double d = predicted[i, j] - exact[i, j];
                num += d * d;
                den += exact[i, j] * exact[i, j];
            }
        return Math.Sqrt(num / den);
    }

    /// <summary>
    /// Raissi's candidates, 256 x-values on t = 0 (u = −sin πx) and 100 t-values on each of x = ±1
    /// (u = 0), of which <paramref name="n"/> are drawn without replacement.
    /// </summary>
    private static (double[] Points, double[] Values) InitialBoundary(int n, Random rng)
    {
        var candidates = new List<(double X, double T, double U)>();
        for (int i = 0; i < 256; i++) { double x = -1 + 2.0 * i / 255; candidates.Add((x, 0, -Math.Sin(Math.PI * x))); }
        for (int j = 0; j < 100; j++) candidates.Add((-1, j / 100.0, 0));
        for (int j = 0; j < 100; j++) candidates.Add((1, j / 100.0, 0));
        var order = Enumerable.Range(0, candidates.Count).ToArray();
        rng.Shuffle(order);
        var points = new double[2 * n];
        var values = new double[n];
        for (int k = 0; k < n; k++)
        {
            var (x, t, u) = candidates[order[k]];
            points[2 * k] = x; points[2 * k + 1] = t; values[k] = u;
        }
        return (points, values);
    }

    /// <summary>Latin hypercube in [−1, 1] × [0, 1]: each axis cut into n strata, one point per stratum, strata paired at random.</summary>
    private static double[] LatinHypercube(int n, Random rng)
    {
        var points = new double[2 * n];
        double[] lower = [-1, 0], width = [2, 1];
        for (int axis = 0; axis < 2; axis++)
        {
            var strata = Enumerable.Range(0, n).ToArray();
            rng.Shuffle(strata);
            for (int k = 0; k < n; k++)
                points[2 * k + axis] = lower[axis] + width[axis] * (strata[k] + rng.NextDouble()) / n;
        }
        return points;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _xu.Dispose(); _u.Dispose(); _xf.Dispose(); _nu.Dispose();
        Model.Dispose();
    }
}
