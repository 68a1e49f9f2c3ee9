using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

using HpcLearn.Runs;

namespace HpcLearn.Training.Optimizers;

/// <summary>
/// Full-batch L-BFGS (Nocedal and Wright, Alg. 7.4 and 7.5) over all parameters flattened into
/// one vector x, with a strong-Wolfe line search (<see cref="StrongWolfe"/>), as PyTorch's
/// <c>LBFGS(line_search_fn="strong_wolfe")</c> and SciPy's L-BFGS-B do:
/// d = −H∇f by the two-loop recursion over the last m pairs (s, y) = (x₊ − x, ∇f₊ − ∇f),
/// H₀ = (sᵀy / yᵀy)·I; x₊ = x + t·d with t from the line search (first try 1, on the first
/// iteration min(1, 1/‖∇f‖₁)). Pairs with sᵀy ≤ 1e-10 are skipped so H stays positive definite.
/// The vector has the parameters' dtype; the line-search arithmetic is in double.
/// </summary>
public sealed class Lbfgs
{
    private readonly IReadOnlyList<Parameter> _parameters;

    /// <summary>Creates L-BFGS over <paramref name="parameters"/> (all of one floating dtype).</summary>
    /// <param name="parameters">The parameters to optimise.</param>
    /// <param name="historySize">m, the number of (s, y) pairs kept.</param>
    /// <param name="toleranceGrad">Stop when max |∇f| ≤ this.</param>
    /// <param name="toleranceChange">Stop when the step (max |t·d|) or the loss change is below this.</param>
    public Lbfgs(IEnumerable<Parameter> parameters, int historySize = 50, double toleranceGrad = 1e-7, double toleranceChange = 1e-9)
    {
        _parameters = parameters.ToList();
        if (_parameters.Count == 0) throw new ArgumentException("L-BFGS needs at least one parameter", nameof(parameters));
        if (_parameters.Select(p => p.dtype).Distinct().Count() != 1)
            throw new ArgumentException("L-BFGS needs all parameters of one dtype", nameof(parameters));
        if (historySize < 1) throw new ArgumentOutOfRangeException(nameof(historySize), historySize, "history size must be at least 1");
        HistorySize = historySize;
        ToleranceGrad = toleranceGrad;
        ToleranceChange = toleranceChange;
    }

    /// <summary>m, the number of curvature pairs kept.</summary>
    public int HistorySize { get; }
    /// <summary>Gradient tolerance on max |∇f|.</summary>
    public double ToleranceGrad { get; }
    /// <summary>Tolerance on the step and on the loss change.</summary>
    public double ToleranceChange { get; }

    /// <summary>
    /// Minimises the loss that <paramref name="closure"/> computes. The closure zeroes the
    /// gradients, computes the loss, calls backward and returns the loss; each call runs in a
    /// dispose scope that is closed after the loss and gradients are read. Stops after
    /// <paramref name="maxIterations"/> iterations or <paramref name="maxEvaluations"/> closure
    /// calls (default 5/4 of the iterations, as PyTorch), both counted from the very start of a
    /// continued run; the parameters are left at the final point.
    /// </summary>
    /// <param name="closure">Computes the loss and its gradients.</param>
    /// <param name="maxIterations">Iteration budget.</param>
    /// <param name="maxEvaluations">Closure-call budget.</param>
    /// <param name="state">Where to continue from and what to update (null: a fresh run whose state is dropped at the end).
    /// The parameters must be those the state was taken at.</param>
    /// <param name="afterIteration">Called after each iteration with the state (a consistent point to checkpoint);
    /// true stops the run with <see cref="LbfgsStopReason.Interrupted"/>.</param>
    public LbfgsResult Minimize(Func<Tensor> closure, int maxIterations, int? maxEvaluations = null,
        LbfgsState? state = null, Func<LbfgsState, bool>? afterIteration = null)
    {
        ArgumentNullException.ThrowIfNull(closure);
        int evaluationBudget = maxEvaluations ?? maxIterations * 5 / 4;
        bool owned = state is null;
        state ??= new LbfgsState();
        var history = state.History;
        Tensor x = GatherParameters();
        try
        {
            if (state.Gradient is null)
            {
                var (f0, g0) = Evaluate(closure);
                state.SetGradient(g0);
                state.Loss = f0;
                state.Evaluations++;
                if (!double.IsFinite(f0) || !IsFinite(g0)) return new(state.Iterations, state.Evaluations, f0, LbfgsStopReason.NonFiniteLoss);
                if (MaxAbs(g0) <= ToleranceGrad) return new(state.Iterations, state.Evaluations, f0, LbfgsStopReason.GradientTolerance);
            }
            while (true)
            {
                using var scope = NewDisposeScope();
                var g = state.Gradient!;
                double f = state.Loss;
                int iteration = state.Iterations + 1;
                var d = Direction(g, history);
                double gtd = TensorScalar.Value(g.dot(d));
                if (gtd > -ToleranceChange) return new(state.Iterations, state.Evaluations, f, LbfgsStopReason.ChangeTolerance);
                double step = iteration == 1 ? Math.Min(1.0, 1.0 / TensorScalar.Value(g.abs().sum())) : 1.0;
                var start = new LinePoint<Tensor>(0, f, gtd, g);
                var search = StrongWolfe.Search(t => Trial(closure, x, d, t), start, step, MaxAbs(d),
                    toleranceChange: ToleranceChange);
                state.Iterations = iteration;
                state.Evaluations += search.Evaluations;
                var chosen = search.Point;
                if (chosen.Step == 0 && search.SawNonFinite)
                {
                    Scatter(x);
                    return new(iteration, state.Evaluations, f, LbfgsStopReason.NonFiniteLoss);
                }
                using Scalar stepScalar = chosen.Step;
                var s = d.mul(stepScalar);
                var y = chosen.State.sub(g);
                double sy = TensorScalar.Value(s.dot(y)), previousLoss = f;
                if (sy > 1e-10) Remember(history, s.DetachFromDisposeScope(), y.DetachFromDisposeScope(), sy);
                Replace(ref x, x.add(s, Constants.One).DetachFromDisposeScope());
                state.SetGradient(chosen.State.clone().DetachFromDisposeScope());
                state.Loss = f = chosen.Loss;
                Scatter(x);
                if (MaxAbs(state.Gradient!) <= ToleranceGrad) return new(iteration, state.Evaluations, f, LbfgsStopReason.GradientTolerance);
                if (iteration >= maxIterations) return new(iteration, state.Evaluations, f, LbfgsStopReason.MaxIterations);
                if (state.Evaluations >= evaluationBudget) return new(iteration, state.Evaluations, f, LbfgsStopReason.MaxEvaluations);
                if (MaxAbs(s) <= ToleranceChange || Math.Abs(f - previousLoss) < ToleranceChange)
                    return new(iteration, state.Evaluations, f, LbfgsStopReason.ChangeTolerance);
                if (afterIteration?.Invoke(state) == true) return new(iteration, state.Evaluations, f, LbfgsStopReason.Interrupted);
            }
        }
        finally
        {
            x.Dispose();
            if (owned) state.Dispose();
        }
    }

    /// <summary>d = −H∇f by the two-loop recursion (Nocedal and Wright, Alg. 7.4).</summary>
    private static Tensor Direction(Tensor g, List<(Tensor S, Tensor Y, double Rho)> history)
    {
        var q = g.neg();
        if (history.Count == 0) return q;
        var alpha = new double[history.Count];
        for (int i = history.Count - 1; i >= 0; i--)
        {
            var (s, y, rho) = history[i];
            alpha[i] = rho * TensorScalar.Value(s.dot(q));
            using Scalar minusAlpha = -alpha[i];
            q.add_(y, minusAlpha);
        }
        var (sLast, yLast, rhoLast) = history[^1];
        using (Scalar gamma = 1 / (rhoLast * TensorScalar.Value(yLast.dot(yLast)))) q.mul_(gamma);
        for (int i = 0; i < history.Count; i++)
        {
            var (s, y, rho) = history[i];
            double beta = rho * TensorScalar.Value(y.dot(q));
            using Scalar correction = alpha[i] - beta;
            q.add_(s, correction);
        }
        return q;
    }

    private void Remember(List<(Tensor S, Tensor Y, double Rho)> history, Tensor s, Tensor y, double sy)
    {
        if (history.Count == HistorySize)
        {
            history[0].S.Dispose();
            history[0].Y.Dispose();
            history.RemoveAt(0);
        }
        history.Add((s, y, 1 / sy));
    }

    /// <summary>Loss and slope at x + t·d; the gradient rides along as the point's state.</summary>
    private LinePoint<Tensor> Trial(Func<Tensor> closure, Tensor x, Tensor d, double t)
    {
        using (Scalar step = t)
        using (var point = x.add(d, step))
            Scatter(point);
        var (loss, grad) = Evaluate(closure);
        return new(t, loss, TensorScalar.Value(grad.dot(d)), grad);
    }

    /// <summary>Calls the closure in its own dispose scope; returns the loss and the flat gradient (moved out).</summary>
    private (double Loss, Tensor Grad) Evaluate(Func<Tensor> closure)
    {
        using var scope = NewDisposeScope();
        double loss;
        using (var result = closure())
            loss = TensorScalar.Value(result.detach());
        var grad = Concatenate(_parameters.Select(p => p.grad is { } gr ? gr : zeros_like(p)));
        return (loss, grad.MoveToOuterDisposeScope());
    }

    private Tensor GatherParameters()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return Concatenate(_parameters.Select(p => p.detach())).DetachFromDisposeScope();
    }

    /// <summary>The tensors flattened into one new vector (a copy: TorchSharp's cat of one tensor returns that tensor).</summary>
    private static Tensor Concatenate(IEnumerable<Tensor> tensors)
    {
        var flat = tensors.Select(t => t.reshape(-1)).ToList();
        return flat.Count == 1 ? flat[0].clone() : cat(flat, 0);
    }

    private void Scatter(Tensor flat)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long offset = 0;
        foreach (var p in _parameters)
        {
            long n = p.numel();
            p.copy_(flat.narrow(0, offset, n).view_as(p));
            offset += n;
        }
    }

    private static void Replace(ref Tensor field, Tensor value)
    {
        field.Dispose();
        field = value;
    }

    private static double MaxAbs(Tensor t)
    {
        using var scope = NewDisposeScope();
        return TensorScalar.Value(t.abs().max());
    }

    private static bool IsFinite(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.isfinite().all().ToBoolean();
    }
}
