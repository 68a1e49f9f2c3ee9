using HpcLearn.Runs;

namespace HpcLearn.Training.Optimizers;

/// <summary>Why <see cref="Lbfgs.Minimize"/> stopped.</summary>
public enum LbfgsStopReason
{
    /// <summary>max |∇f| fell to the gradient tolerance: a stationary point.</summary>
    GradientTolerance,
    /// <summary>The step, the loss change, or the directional derivative fell below the change tolerance.</summary>
    ChangeTolerance,
    /// <summary>The iteration budget ran out.</summary>
    MaxIterations,
    /// <summary>The budget of closure evaluations ran out.</summary>
    MaxEvaluations,
    /// <summary>The loss or gradient was NaN or infinite and no finite step could be found; the parameters are the last finite point.</summary>
    NonFiniteLoss,
    /// <summary>The caller asked to stop between iterations (a deadline or a signal); the state can continue the run.</summary>
    Interrupted,
}
