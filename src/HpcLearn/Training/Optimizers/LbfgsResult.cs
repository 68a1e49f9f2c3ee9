using HpcLearn.Runs;

namespace HpcLearn.Training.Optimizers;

/// <summary>What an L-BFGS run did: iterations, closure evaluations, final loss and why it stopped.</summary>
/// <param name="Iterations">Quasi-Newton iterations (line searches) completed.</param>
/// <param name="Evaluations">Calls of the closure, including the first one.</param>
/// <param name="Loss">Loss at the final parameters.</param>
/// <param name="Reason">Why it stopped.</param>
public sealed record LbfgsResult(int Iterations, int Evaluations, double Loss, LbfgsStopReason Reason)
{
    /// <summary>True when it stopped at a tolerance rather than a budget or a non-finite loss.</summary>
    public bool Converged => Reason is LbfgsStopReason.GradientTolerance or LbfgsStopReason.ChangeTolerance;

    /// <inheritdoc />
    public override string ToString() =>
        $"L-BFGS: {Reason} after {Iterations} iterations, {Evaluations} evaluations, loss {Loss:G6}";
}
