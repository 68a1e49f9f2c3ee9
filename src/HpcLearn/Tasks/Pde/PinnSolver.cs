using System.Diagnostics;
using HpcLearn.Runs;
using HpcLearn.Training;
using HpcLearn.Training.Optimizers;
using TorchSharp;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Pde;

/// <summary>
/// A physics-informed neural network for any <see cref="PdeProblem"/> (Raissi, Perdikaris and
/// Karniadakis 2019): loss = Σ over conditions of MSE(misfit) + MSE(f) on Latin-hypercube
/// collocation points, f the problem's residual with derivatives by automatic differentiation;
/// Adam, then full-batch L-BFGS with a strong-Wolfe line search (<see cref="Lbfgs"/>).
/// </summary>
public sealed class PinnSolver : IDisposable
{
    private static readonly Scalar One = 1.0;
    private readonly List<PreparedCondition> _conditions = new();
    private const int StateVersion = 2;
    private Tensor _xf;            // (N_f + added, d): the Latin-hypercube points, then those added by refinement
    private readonly int _basePoints;
    private int _round;            // refinement rounds whose points were added
    private int _lbfgsBefore, _evaluationsBefore;   // L-BFGS iterations and evaluations of the phases before the current one
    private readonly Adam _adam;
    private readonly List<double> _losses = new();
    private LbfgsState? _lbfgs;
    private int _adamSteps;
    private double _initialLoss = double.NaN, _adamLoss = double.NaN, _adamSeconds, _lbfgsSeconds;

    /// <summary>Draws the points and builds (or takes) the network.</summary>
    /// <param name="problem">The PDE, its domain and conditions.</param>
    /// <param name="options">Settings; validated here.</param>
    /// <param name="model">A network of one's own (d inputs, 1 output, options' dtype); null for one from <see cref="PinnOptions.Layers"/>.</param>
    public PinnSolver(PdeProblem problem, PinnOptions options, PinnModel? model = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(options);
        var domain = problem.Domain;
        options.Validate(domain);
        Problem = problem;
        Options = options;
        var dtype = options.Float64 ? ScalarType.Float64 : ScalarType.Float32;
        int d = domain.Dimensions;
        if (model is not null && (model.Inputs != d || model.Outputs != 1))
            throw new UserError($"a PINN for '{problem.Name}' needs a network with {d} inputs ({string.Join(", ", domain.Variables)}) and 1 output (u); got {model.Inputs} inputs and {model.Outputs} outputs");
        if (model is not null && model.Dtype != dtype)
            throw new UserError($"the network is {model.Dtype} but the options ask for {dtype}; set Float64 to match");
        if (model is null) random.manual_seed(options.Seed);
        Model = model ?? new PinnModel(options.Layers, domain.Lower.ToArray(), domain.Upper.ToArray(), dtype, options.Activation);
        if (options.HardConstraints)
            Model.Hard = problem.Hard ?? throw new UserError($"pde.hard_constraints: the problem '{problem.Name}' has no exact form of its conditions (PdeProblem.Hard); set pde.hard_constraints: false or give it one");

        var rng = new Random(options.Seed);
        foreach (var c in problem.Conditions) _conditions.Add(c.Prepare(domain, rng, dtype));
        _xf = tensor(domain.LatinHypercube(options.CollocationPoints, rng), [options.CollocationPoints, d], dtype: dtype);
        _basePoints = options.CollocationPoints;
        _adam = new Adam(Model.parameters().ToList(), options.AdamLearningRate, decoupled: false);
    }

    /// <summary>The PDE.</summary>
    public PdeProblem Problem { get; }
    /// <summary>The settings.</summary>
    public PinnOptions Options { get; }
    /// <summary>The network u_θ.</summary>
    public PinnModel Model { get; }
    /// <summary>Collocation points (N_f, d), with those added by refinement rounds after the Latin-hypercube ones.</summary>
    public Tensor CollocationPoints => _xf;
    /// <summary>Refinement rounds done so far (each added <see cref="PinnOptions.RefinePoints"/> points).</summary>
    public int RefineRounds => _round;
    /// <summary>The points of each condition (M, d), in the problem's order.</summary>
    public IReadOnlyList<Tensor> ConditionPoints => _conditions.Select(c => c.Points).ToList();
    /// <summary>The target values of each condition (M, 1); null for a periodic one.</summary>
    public IReadOnlyList<Tensor?> ConditionTargets => _conditions.Select(c => c.Targets).ToList();

    /// <summary>
    /// The problem's residual f of the network at <paramref name="points"/> (N, d), as (N, 1), with
    /// the graph kept so that it can be differentiated with respect to the parameters.
    /// </summary>
    public Tensor Residual(Tensor points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var domain = Problem.Domain;
        int d = domain.Dimensions;
        // Checked before autograd.grad, which aborts the process on a shape error.
        if (points.ndim != 2 || points.size(1) != d || points.size(0) < 1)
            throw new UserError($"residual points must have shape (N, {d}) with N ≥ 1, as ({string.Join(", ", domain.Variables)}); got ({string.Join(", ", points.shape)})");
        if (points.dtype != Model.Dtype)
            throw new UserError($"residual points are {points.dtype} but the network is {Model.Dtype}");
        var x = points.detach().requires_grad_(true);                        // (N, d)
        var fields = new PdeFields(domain, x, Model.forward(x));
        var f = Problem.Residual(fields) ?? throw new UserError($"the residual of '{Problem.Name}' returned null; return a tensor of shape (N, 1)");
        long n = points.size(0);
        if (f.ndim == 1 && f.size(0) == n) return f.unsqueeze(1);
        if (f.ndim != 2 || f.size(0) != n || f.size(1) != 1)
            throw new UserError($"the residual of '{Problem.Name}' returned shape ({string.Join(", ", f.shape)}); it must be (N, 1), one value per point (N = {n})");
        return f;                                                            // (N, 1)
    }

    /// <summary>Σ MSE(condition misfits) + MSE(f) on the collocation points (a 0-d tensor).</summary>
    public Tensor Loss()
    {
        var f = Residual(_xf);                                               // (N_f, 1)
        var loss = f.mul(f).mean();
        foreach (var c in _conditions)
        {
            var e = c.Misfit(Model);                                         // (M, 1)
            loss = loss.add(e.mul(e).mean(), One);
        }
        return loss;
    }

    /// <summary>
    /// From this many collocation points on, with two or more libtorch threads, the loss and its
    /// gradient are computed in two halves of the points on two threads (each with half of
    /// libtorch's threads). At Burgers' 10,000 points libtorch's own parallelism barely helped: an
    /// evaluation took the same time on 1 and 2 threads, and the halves made L-BFGS 1.27× faster
    /// (docs/pde.md, "Threads"). One thread keeps the whole sum, so one-thread results are unchanged.
    /// </summary>
    internal const int HalvesFrom = 4096;

    private HalfWorker? _worker;
    private int _workerThreads;

    /// <summary>
    /// The loss (0-d) with every parameter's gradient set to its gradient (the caller zeroes them
    /// first). The whole sum (<see cref="Loss"/> and backward) below <see cref="HalvesFrom"/> points
    /// or on one thread; else MSE(f) as Σf² / N over each half of the points, the conditions with the
    /// first half, each half's gradient by its own backward pass, the two added in a fixed order.
    /// <paramref name="halves"/> forces either way (tests); halves on one thread run one after the other.
    /// </summary>
    internal Tensor LossWithGradients(bool? halves = null)
    {
        long n = _xf.size(0);
        int threads = torch.get_num_threads();
        if (!(halves ?? (n >= HalvesFrom && threads >= 2)))
        {
            var whole = Loss();
            whole.backward();
            return whole;
        }
        var parameters = Model.parameters().Cast<Tensor>().ToList();
        var parts = new (Tensor Loss, Tensor[] Grads)[2];
        void Half(int j)
        {
            using var scope = NewDisposeScope();
            long start = j == 0 ? 0 : n / 2, count = j == 0 ? n / 2 : n - n / 2;
            var f = Residual(_xf.narrow(0, start, count));                    // (count, 1)
            using Scalar total = n;
            var loss = f.mul(f).sum().div(total);
            if (j == 0)
                foreach (var c in _conditions)
                {
                    var e = c.Misfit(Model);                                   // (M, 1)
                    loss = loss.add(e.mul(e).mean(), One);
                }
            var grads = autograd.grad([loss], parameters);
            parts[j] = (loss.detach().DetachFromDisposeScope(), grads.Select(g => g.DetachFromDisposeScope()).ToArray());
        }
        try
        {
            if (threads < 2)
            {
                Half(0);
                Half(1);
            }
            else
            {
                int each = Math.Max(1, threads / 2);
                if (_worker is null || _workerThreads != each)
                {
                    _worker?.Dispose();
                    _worker = new HalfWorker(each);
                    _workerThreads = each;
                }
                using (TorchRuntime.ThreadsFor(each)) _worker.Run(() => Half(1), () => Half(0));
            }
            using var noGrad = no_grad();
            for (int i = 0; i < parameters.Count; i++)
            {
                var sum = parts[0].Grads[i].add(parts[1].Grads[i]);
                if (parameters[i].grad is { } grad)
                {
                    grad.copy_(sum);   // in place: Adam's flat buffer holds the gradients
                    sum.Dispose();
                }
                else parameters[i].grad = sum;
            }
            return parts[0].Loss.add(parts[1].Loss);
        }
        finally
        {
            // Also when a half failed (a user's residual): the other half's tensors are not left behind.
            foreach (var (loss, grads) in parts)
            {
                loss?.Dispose();
                if (grads is not null) foreach (var g in grads) g.Dispose();
            }
        }
    }

    /// <summary>The current loss as a number.</summary>
    public double CurrentLoss()
    {
        using var scope = NewDisposeScope();
        return TensorScalar.Value(Loss());
    }

    /// <summary>
    /// Adam for <see cref="PinnOptions.AdamIterations"/>, then L-BFGS; <paramref name="log"/> gets progress lines.
    /// A non-finite loss stops training with the parameters at their last finite point and
    /// <see cref="PinnResult.Diverged"/> saying where. A solver whose state was loaded
    /// (<see cref="LoadState"/>) continues where that state stopped, exactly as if it had not.
    /// </summary>
    /// <param name="log">Gets a progress line every <paramref name="logEvery"/> Adam iterations and L-BFGS evaluations.</param>
    /// <param name="logEvery">How often to log.</param>
    /// <param name="report">Appended to each progress line (e.g. the current error against the exact solution).</param>
    /// <param name="stop">Polled after every Adam and L-BFGS iteration; a reason (a signal, the job's deadline) stops
    /// training at that point, after <paramref name="checkpoint"/>, with <see cref="PinnResult.Stopped"/> set.</param>
    /// <param name="checkpoint">Saves the solver's state (<see cref="SaveState"/>); called every
    /// <paramref name="checkpointEvery"/> iterations of either phase and on a stop.</param>
    /// <param name="checkpointEvery">Iterations between checkpoints (0: only on a stop).</param>
    public PinnResult Train(Action<string>? log = null, int logEvery = 500, Func<string>? report = null,
        Func<string?>? stop = null, Action? checkpoint = null, int checkpointEvery = 0)
    {
        string Line(string what, double loss) => report is null ? $"{what}: loss {loss:E3}" : $"{what}: loss {loss:E3}, {report()}";
        bool Due(int iteration) => checkpointEvery > 0 && iteration % checkpointEvery == 0;
        var lap = Stopwatch.StartNew();
        double Lap() { double seconds = lap.Elapsed.TotalSeconds; lap.Restart(); return seconds; }
        if (double.IsNaN(_initialLoss))
        {
            _initialLoss = CurrentLoss();
            log?.Invoke($"initial loss {_initialLoss:E3}");
        }
        else log?.Invoke(_lbfgs is null
            ? $"continuing after Adam iteration {_adamSteps} of {Options.AdamIterations}"
            : $"continuing after L-BFGS iteration {_lbfgs.Iterations} of {Options.LbfgsIterations} ({_lbfgs.Evaluations} evaluations)");
        string? diverged = null;
        var parameters = Model.parameters().ToList();
        if (_lbfgs is null && _adamSteps < Options.AdamIterations)
        {
            var lastGood = parameters.Select(p => p.detach().clone()).ToList();
            try
            {
                for (int i = _adamSteps + 1; i <= Options.AdamIterations; i++)
                {
                    using (var scope = NewDisposeScope())
                    {
                        _adam.ZeroGrad();
                        var loss = LossWithGradients();
                        double value = TensorScalar.Value(loss);
                        if (!double.IsFinite(value))
                        {
                            Restore(parameters, lastGood);
                            diverged = $"the loss became {value} at Adam iteration {i}";
                            break;
                        }
                        _losses.Add(value);
                        Keep(parameters, lastGood);
                        _adam.Step();
                        _adamSteps = i;
                        if (log is not null && (i % logEvery == 0 || i == Options.AdamIterations)) log(Line($"adam {i}", value));
                    }
                    _adamSeconds += Lap();
                    if (i == Options.AdamIterations) break;
                    if (stop?.Invoke() is { } why) return Stopped(why, checkpoint);
                    if (Due(i)) checkpoint?.Invoke();
                }
            }
            finally
            {
                foreach (var t in lastGood) t.Dispose();
            }
        }
        _adamSeconds += Lap();
        if (_lbfgs is null) _adamLoss = diverged is null ? CurrentLoss() : _losses.LastOrDefault(_initialLoss);
        LbfgsResult? lbfgs = null;
        while (diverged is null && (Options.LbfgsIterations > 0 || Options.RefineRounds > 0))
        {
            int budget = _round == 0 ? Options.LbfgsIterations : Options.RefineIterations;
            _lbfgs ??= new LbfgsState();
            string? stoppedBy = null;
            var phase = _lbfgs.Iterations >= budget
                ? new LbfgsResult(_lbfgs.Iterations, _lbfgs.Evaluations, _lbfgs.Loss, LbfgsStopReason.MaxIterations)
                : new Lbfgs(parameters, toleranceChange: Options.LbfgsToleranceChange).Minimize(() =>
                {
                    Model.zero_grad();
                    var loss = LossWithGradients();
                    _losses.Add(TensorScalar.Value(loss));
                    int evaluation = _losses.Count - _adamSteps;
                    if (log is not null && evaluation % logEvery == 0) log(Line($"lbfgs evaluation {evaluation}", _losses[^1]));
                    return loss;
                }, budget, state: _lbfgs, afterIteration: state =>
                {
                    _lbfgsSeconds += Lap();
                    stoppedBy = stop?.Invoke();
                    if (stoppedBy is null && Due(_lbfgsBefore + state.Iterations)) checkpoint?.Invoke();
                    return stoppedBy is not null;
                });
            _lbfgsSeconds += Lap();
            if (stoppedBy is not null) return Stopped(stoppedBy, checkpoint);
            lbfgs = new LbfgsResult(_lbfgsBefore + phase.Iterations, _evaluationsBefore + phase.Evaluations, phase.Loss, phase.Reason);
            log?.Invoke(_round == 0 ? $"lbfgs: {phase}" : $"lbfgs after refinement round {_round}: {phase}");
            if (phase.Reason == LbfgsStopReason.NonFiniteLoss)
                diverged = $"the loss became non-finite in L-BFGS iteration {lbfgs.Iterations} and no finite step was found";
            if (diverged is not null || _round >= Options.RefineRounds) break;
            _lbfgsBefore += _lbfgs.Iterations;
            _evaluationsBefore += _lbfgs.Evaluations;
            _lbfgs.Dispose();
            _lbfgs = new LbfgsState();
            Refine(_round + 1);
            log?.Invoke(Line($"refinement round {_round}: {Options.RefinePoints} points added where |f| is largest among {Options.RefineCandidates:N0} candidates ({_xf.shape[0]:N0} collocation points)", CurrentLoss()));
            _lbfgsSeconds += Lap();
        }
        double final = diverged is null ? CurrentLoss() : _losses.Where(double.IsFinite).LastOrDefault(_initialLoss);
        return new(_initialLoss, _adamLoss, final, _adamSeconds, _lbfgsSeconds, lbfgs, _losses.ToList(), _adamSteps, diverged);
    }

    private PinnResult Stopped(string why, Action? checkpoint)
    {
        checkpoint?.Invoke();
        var lbfgs = _lbfgs is null ? null : new LbfgsResult(LbfgsIterations, _evaluationsBefore + _lbfgs.Evaluations, _lbfgs.Loss, LbfgsStopReason.Interrupted);
        double last = _losses.Count > 0 ? _losses[^1] : _initialLoss;
        return new(_initialLoss, _adamLoss, last, _adamSeconds, _lbfgsSeconds, lbfgs, _losses.ToList(), _adamSteps, null) { Stopped = why };
    }

    /// <summary>Adam iterations done so far.</summary>
    public int AdamSteps => _adamSteps;

    /// <summary>L-BFGS iterations done so far, over all refinement rounds (0 before that phase).</summary>
    public int LbfgsIterations => _lbfgsBefore + (_lbfgs?.Iterations ?? 0);

    /// <summary>
    /// Residual-based adaptive refinement (Lu et al. 2021, "RAR"): draws <see cref="PinnOptions.RefineCandidates"/>
    /// Latin-hypercube candidates (seeded by the seed and the round), and adds the
    /// <see cref="PinnOptions.RefinePoints"/> with the largest |f| to the collocation points.
    /// </summary>
    private void Refine(int round)
    {
        var domain = Problem.Domain;
        int d = domain.Dimensions, n = Options.RefineCandidates;
        var candidates = domain.LatinHypercube(n, RefinementRandom(Options.Seed, round));
        var magnitude = new double[n];
        const int Chunk = 8192;
        for (int start = 0; start < n; start += Chunk)
        {
            using var scope = NewDisposeScope();
            int m = Math.Min(Chunk, n - start);
            var points = tensor(candidates.AsSpan(start * d, m * d).ToArray(), [m, d], dtype: Model.Dtype);
            var f = Residual(points).detach().abs().to_type(ScalarType.Float64).contiguous();
            f.data<double>().CopyTo(magnitude.AsSpan(start, m));
        }
        var order = Enumerable.Range(0, n).OrderByDescending(i => double.IsNaN(magnitude[i]) ? double.PositiveInfinity : magnitude[i]).ThenBy(i => i)
            .Take(Math.Min(Options.RefinePoints, n)).ToArray();
        var added = new double[order.Length * d];
        for (int k = 0; k < order.Length; k++) candidates.AsSpan(order[k] * d, d).CopyTo(added.AsSpan(k * d, d));
        AddPoints(added);
        _round = round;
    }

    /// <summary>The random source of round <paramref name="round"/>'s candidates: fixed by the seed, so a rerun adds the same points.</summary>
    internal static Random RefinementRandom(int seed, int round) => Seeds.Random(seed, SeedStream.Refinement.At(round));

    private void AddPoints(double[] flat)
    {
        int d = Problem.Domain.Dimensions;
        using var extra = tensor(flat, [flat.Length / d, d], dtype: Model.Dtype);
        var all = cat([_xf, extra], 0);
        _xf.Dispose();
        _xf = all;
    }

    /// <summary>
    /// Writes where training is: the weights, the Adam moments, the L-BFGS pairs, gradient and
    /// counts, the loss history and the phase times — what <see cref="LoadState"/> needs to
    /// continue exactly. The points are not written: the same options and seed draw them again.
    /// </summary>
    public void SaveState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(StateVersion);
        foreach (var p in Model.parameters()) p.Save(writer);
        _adam.Save(writer);
        writer.Write(_adamSteps);
        writer.Write(_initialLoss);
        writer.Write(_adamLoss);
        writer.Write(_adamSeconds);
        writer.Write(_lbfgsSeconds);
        writer.Write(_losses.Count);
        foreach (double loss in _losses) writer.Write(loss);
        writer.Write(_lbfgs is not null);
        _lbfgs?.Save(writer);
        writer.Write(_round);
        writer.Write(_lbfgsBefore);
        writer.Write(_evaluationsBefore);
        long extra = _xf.size(0) - _basePoints;
        double[] flat = [];
        if (extra > 0)
        {
            using var added = _xf.narrow(0, _basePoints, extra).to_type(ScalarType.Float64).contiguous();
            flat = added.data<double>().ToArray();
        }
        writer.Write(flat.Length);
        foreach (double v in flat) writer.Write(v);
    }

    /// <summary>Reads what <see cref="SaveState"/> wrote (from a solver with the same problem, options and network shape).</summary>
    public void LoadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        int version = reader.ReadInt32();
        if (version is not (1 or StateVersion)) throw new UserError($"the checkpoint holds PINN state version {version}; this build reads version {StateVersion}; start the run again without --resume");
        using (no_grad())
            foreach (var p in Model.parameters()) p.Load(reader);
        _adam.Load(reader);
        _adamSteps = reader.ReadInt32();
        _initialLoss = reader.ReadDouble();
        _adamLoss = reader.ReadDouble();
        _adamSeconds = reader.ReadDouble();
        _lbfgsSeconds = reader.ReadDouble();
        int count = reader.ReadInt32();
        _losses.Clear();
        for (int i = 0; i < count; i++) _losses.Add(reader.ReadDouble());
        _lbfgs?.Dispose();
        _lbfgs = null;
        if (reader.ReadBoolean())
            _lbfgs = LbfgsState.Load(reader, Model.parameters().Sum(p => p.numel()), Model.Dtype);
        // Version 1 (before refinement) ends here: no rounds, no added points.
        _round = version == 1 ? 0 : reader.ReadInt32();
        _lbfgsBefore = version == 1 ? 0 : reader.ReadInt32();
        _evaluationsBefore = version == 1 ? 0 : reader.ReadInt32();
        var flat = new double[version == 1 ? 0 : reader.ReadInt32()];
        for (int i = 0; i < flat.Length; i++) flat[i] = reader.ReadDouble();
        if (_xf.size(0) > _basePoints)
        {
            var kept = _xf.narrow(0, 0, _basePoints).clone();
            _xf.Dispose();
            _xf = kept;
        }
        if (flat.Length > 0) AddPoints(flat);
    }

    private static void Keep(IReadOnlyList<Parameter> parameters, IReadOnlyList<Tensor> copies)
    {
        using var noGrad = no_grad();
        for (int k = 0; k < parameters.Count; k++) copies[k].copy_(parameters[k]);
    }

    private static void Restore(IReadOnlyList<Parameter> parameters, IReadOnlyList<Tensor> copies)
    {
        using var noGrad = no_grad();
        for (int k = 0; k < parameters.Count; k++) parameters[k].copy_(copies[k]);
    }

    /// <summary>u_θ at the flattened (n, d) <paramref name="points"/>.</summary>
    public double[] Predict(double[] points) => Predict(Model, points);

    /// <summary>u_θ of <paramref name="model"/> at the flattened (n, inputs) <paramref name="points"/>.</summary>
    public static double[] Predict(PinnModel model, double[] points)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = tensor(points, [points.Length / model.Inputs, model.Inputs], dtype: model.Dtype);
        return model.forward(input).to_type(ScalarType.Float64).data<double>().ToArray();
    }

    /// <summary>u_θ on the grid first × second: result[i, j] = u_θ(first[i], second[j]).</summary>
    public double[,] Predict(double[] first, double[] second)
    {
        var points = new double[first.Length * second.Length * 2];
        for (int i = 0, k = 0; i < first.Length; i++)
            for (int j = 0; j < second.Length; j++) { points[k++] = first[i]; points[k++] = second[j]; }
        var u = Predict(points);
        var grid = new double[first.Length, second.Length];
        for (int i = 0, k = 0; i < first.Length; i++)
            for (int j = 0; j < second.Length; j++) grid[i, j] = u[k++];
        return grid;
    }

    /// <summary>‖u_θ − u_exact‖₂ / ‖u_exact‖₂ over the grid (exact[i, j] = u(first[i], second[j])).</summary>
    public double RelativeL2Error(double[,] exact, double[] first, double[] second)
    {
        ArgumentNullException.ThrowIfNull(exact);
        if (exact.GetLength(0) != first.Length || exact.GetLength(1) != second.Length)
            throw new ArgumentException($"exact grid is {exact.GetLength(0)} × {exact.GetLength(1)} but the axes are {first.Length} × {second.Length}", nameof(exact));
        return RelativeL2(Predict(first, second), exact);
    }

    /// <summary>‖predicted − exact‖₂ / ‖exact‖₂.</summary>
    public static double RelativeL2(double[,] predicted, double[,] exact)
    {
        double num = 0, den = 0;
        foreach (var (p, e) in predicted.Cast<double>().Zip(exact.Cast<double>()))
        {
            num += (p - e) * (p - e);
            den += e * e;
        }
        return Math.Sqrt(num / den);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _worker?.Dispose();
        foreach (var c in _conditions) c.Dispose();
        _xf.Dispose();
        _adam.Dispose();
        _lbfgs?.Dispose();
        Model.Dispose();
    }
}
