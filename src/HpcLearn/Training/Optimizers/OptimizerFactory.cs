using HpcLearn.Config;
using TorchSharp.Modules;

namespace HpcLearn.Training.Optimizers;

/// <summary>
/// The one place that turns <c>train.optimizer</c> into an optimiser, for the Learner, the text
/// trainer and the games trainer alike, so the same key means the same update everywhere.
/// </summary>
public static class OptimizerFactory
{
    /// <summary>
    /// AdamW (decay decoupled from the gradient), Adam (decay added to the gradient) or SGD with
    /// momentum 0.9 (decay added to the gradient) over <paramref name="parameters"/>.
    /// </summary>
    /// <param name="kind">Which optimiser (<see cref="TrainOptions.Optimizer"/>).</param>
    /// <param name="parameters">The parameters it updates.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="weightDecay">Weight decay.</param>
    /// <param name="beta2">Adam's β₂ (ignored by SGD). Default 0.999; language models use 0.99.</param>
    public static Optimizer Create(OptimizerKind kind, IEnumerable<Parameter> parameters, double lr, double weightDecay, double beta2 = 0.999) => kind switch
    {
        OptimizerKind.AdamW => new Adam(parameters, lr, weightDecay, decoupled: true, beta2: beta2),
        OptimizerKind.Adam => new Adam(parameters, lr, weightDecay, decoupled: false, beta2: beta2),
        OptimizerKind.Sgd => new Sgd(parameters, lr, momentum: 0.9, weightDecay),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not an optimiser"),
    };
}
