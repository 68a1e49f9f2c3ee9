using HpcLearn.Training.Optimizers;

namespace HpcLearn.Tasks.Pde;

/// <summary>What a <see cref="BurgersPinn.Train"/> run did: losses after each phase and wall times.</summary>
/// <param name="InitialLoss">Loss of the untrained net.</param>
/// <param name="AdamLoss">Loss after the Adam warm-up.</param>
/// <param name="FinalLoss">Loss after L-BFGS.</param>
/// <param name="AdamSeconds">Wall seconds of the Adam phase.</param>
/// <param name="LbfgsSeconds">Wall seconds of the L-BFGS phase.</param>
/// <param name="Lbfgs">L-BFGS iterations, evaluations and stop reason (null when it had 0 iterations).</param>
public sealed record BurgersPinnResult(double InitialLoss, double AdamLoss, double FinalLoss,
    double AdamSeconds, double LbfgsSeconds, LbfgsResult? Lbfgs);
