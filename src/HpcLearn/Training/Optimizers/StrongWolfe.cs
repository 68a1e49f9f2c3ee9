using HpcLearn.Runs;

namespace HpcLearn.Training.Optimizers;

/// <summary>One trial point of a line search: step, loss φ(t), slope φ'(t), and what the caller keeps with it (a gradient).</summary>
internal readonly record struct LinePoint<TState>(double Step, double Loss, double Slope, TState State)
{
    /// <summary>False when the loss or the slope is NaN or infinite.</summary>
    public bool IsFinite => double.IsFinite(Loss) && double.IsFinite(Slope);
}

/// <summary>The chosen point and how many evaluations the search made.</summary>
internal readonly record struct LineSearchResult<TState>(LinePoint<TState> Point, int Evaluations, bool SawNonFinite);

/// <summary>
/// Line search for a step t along a descent direction satisfying the strong Wolfe conditions
/// φ(t) ≤ φ(0) + c₁ t φ'(0) and |φ'(t)| ≤ c₂ |φ'(0)|: bracketing, then zoom with safeguarded cubic
/// interpolation (Nocedal and Wright, Algorithms 3.5 and 3.6), step for step as PyTorch's
/// <c>_strong_wolfe</c>. Unlike PyTorch's, a trial with a NaN or infinite loss counts as too long
/// a step and is bisected rather than interpolated, so the search backs off instead of
/// propagating NaN.
/// </summary>
internal static class StrongWolfe
{
    /// <summary>Searches from <paramref name="start"/> (t = 0), trying <paramref name="step"/> first.</summary>
    /// <param name="phi">Evaluates the loss and slope at step t.</param>
    /// <param name="start">The point t = 0; its slope must be negative.</param>
    /// <param name="step">First trial step.</param>
    /// <param name="directionMaxAbs">max |d|, to turn a step interval into a parameter change.</param>
    /// <param name="c1">Sufficient-decrease constant.</param>
    /// <param name="c2">Curvature constant.</param>
    /// <param name="toleranceChange">Stop zooming when the bracket moves the parameters less than this.</param>
    /// <param name="maxEvaluations">Most evaluations of <paramref name="phi"/>.</param>
    public static LineSearchResult<TState> Search<TState>(Func<double, LinePoint<TState>> phi, LinePoint<TState> start,
        double step, double directionMaxAbs, double c1 = 1e-4, double c2 = 0.9, double toleranceChange = 1e-9, int maxEvaluations = 25)
    {
        double f0 = start.Loss, g0 = start.Slope;
        bool Armijo(LinePoint<TState> p) => p.Loss <= f0 + c1 * p.Step * g0;
        bool Curvature(LinePoint<TState> p) => Math.Abs(p.Slope) <= -c2 * g0;

        var previous = start;
        var trial = phi(step);
        int evaluations = 1;
        bool sawNonFinite = !trial.IsFinite;
        LinePoint<TState> low, high;
        // Bracketing (Alg. 3.5): grow the step until it overshoots the minimiser or is acceptable.
        while (true)
        {
            if (!trial.IsFinite || !Armijo(trial) || (evaluations > 2 && trial.Loss >= previous.Loss))
            {
                (low, high) = (previous, trial); // previous satisfies Armijo and is lower
                break;
            }
            if (Curvature(trial)) return new(trial, evaluations, sawNonFinite);
            if (trial.Slope >= 0)
            {
                (low, high) = Order(trial, previous); // both satisfy Armijo
                break;
            }
            if (evaluations >= maxEvaluations) return new(trial, evaluations, sawNonFinite);
            double next = Cubic(previous, trial, trial.Step + 0.01 * (trial.Step - previous.Step), trial.Step * 10);
            previous = trial;
            trial = phi(next);
            evaluations++;
            sawNonFinite |= !trial.IsFinite;
        }

        // Zoom (Alg. 3.6): shrink [low, high] keeping φ(low) the lowest Armijo point seen.
        bool insufficientProgress = false;
        while (evaluations < maxEvaluations && Math.Abs(high.Step - low.Step) * directionMaxAbs >= toleranceChange)
        {
            double lo = Math.Min(low.Step, high.Step), hi = Math.Max(low.Step, high.Step);
            double t = low.IsFinite && high.IsFinite ? Cubic(low, high, lo, hi) : (lo + hi) / 2;
            // Safeguard (PyTorch): keep the trial at least 10% of the bracket from its ends.
            double margin = 0.1 * (hi - lo);
            if (Math.Min(hi - t, t - lo) < margin)
            {
                if (insufficientProgress || t >= hi || t <= lo)
                {
                    t = Math.Abs(t - hi) < Math.Abs(t - lo) ? hi - margin : lo + margin;
                    insufficientProgress = false;
                }
                else insufficientProgress = true;
            }
            else insufficientProgress = false;

            trial = phi(t);
            evaluations++;
            sawNonFinite |= !trial.IsFinite;
            if (!trial.IsFinite || !Armijo(trial) || trial.Loss >= low.Loss) high = trial;
            else
            {
                if (Curvature(trial)) return new(trial, evaluations, sawNonFinite);
                if (trial.Slope * (high.Step - low.Step) >= 0) high = low;
                low = trial;
            }
        }
        return new(low, evaluations, sawNonFinite);
    }

    /// <summary>The bracket's ends as (lower loss, higher loss).</summary>
    private static (LinePoint<TState> Low, LinePoint<TState> High) Order<TState>(LinePoint<TState> a, LinePoint<TState> b) =>
        a.Loss <= b.Loss ? (a, b) : (b, a);

    /// <summary>
    /// Minimiser of the cubic through (t₁, f₁, g₁) and (t₂, f₂, g₂), clamped to [min, max];
    /// the midpoint when the cubic has no minimiser (Nocedal and Wright eq. 3.59).
    /// </summary>
    internal static double Cubic<TState>(LinePoint<TState> a, LinePoint<TState> b, double min, double max)
    {
        if (min > max) (min, max) = (max, min);
        double d1 = a.Slope + b.Slope - 3 * (a.Loss - b.Loss) / (a.Step - b.Step);
        double d2Square = d1 * d1 - a.Slope * b.Slope;
        if (!(d2Square >= 0)) return (min + max) / 2;
        double d2 = Math.Sqrt(d2Square);
        double t = a.Step <= b.Step
            ? b.Step - (b.Step - a.Step) * ((b.Slope + d2 - d1) / (b.Slope - a.Slope + 2 * d2))
            : a.Step - (a.Step - b.Step) * ((a.Slope + d2 - d1) / (a.Slope - b.Slope + 2 * d2));
        return double.IsFinite(t) ? Math.Clamp(t, min, max) : (min + max) / 2;
    }
}
