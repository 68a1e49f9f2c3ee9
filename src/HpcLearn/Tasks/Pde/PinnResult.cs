using HpcLearn.Training.Optimizers;

namespace HpcLearn.Tasks.Pde;

/// <summary>What a <see cref="PinnSolver.Train"/> run did: losses after each phase, the loss history and wall times.</summary>
/// <param name="InitialLoss">Loss of the untrained net.</param>
/// <param name="AdamLoss">Loss after the Adam phase.</param>
/// <param name="FinalLoss">Loss after L-BFGS (the last finite loss when <see cref="Diverged"/>).</param>
/// <param name="AdamSeconds">Wall seconds of the Adam phase.</param>
/// <param name="LbfgsSeconds">Wall seconds of the L-BFGS phase.</param>
/// <param name="Lbfgs">L-BFGS iterations, evaluations and stop reason (null when it did not run).</param>
/// <param name="Losses">The loss at each Adam iteration, then at each L-BFGS evaluation.</param>
/// <param name="AdamSteps">How many of <see cref="Losses"/> are Adam's.</param>
/// <param name="Diverged">Why training stopped at a non-finite loss (the parameters are then the last finite point); null when it did not.</param>
public sealed record PinnResult(double InitialLoss, double AdamLoss, double FinalLoss,
    double AdamSeconds, double LbfgsSeconds, LbfgsResult? Lbfgs,
    IReadOnlyList<double> Losses, int AdamSteps, string? Diverged)
{
    /// <summary>Why training stopped early with its state checkpointed (a signal, the job's deadline); null when it ran to the end.</summary>
    public string? Stopped { get; init; }
}
