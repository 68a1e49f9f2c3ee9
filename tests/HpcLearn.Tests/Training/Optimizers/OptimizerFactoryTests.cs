using HpcLearn.Config;
using HpcLearn.Training.Optimizers;
using Xunit;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace HpcLearn.Tests.Training.Optimizers;

/// <summary>train.optimizer means the same optimiser, with the same hyperparameters, for every trainer.</summary>
public sealed class OptimizerFactoryTests
{
    private static Parameter[] Parameters() => [new Parameter(zeros(3))];

    [Fact]
    public void Adamw_decouples_the_weight_decay()
    {
        using var o = Assert.IsType<Adam>(OptimizerFactory.Create(OptimizerKind.AdamW, Parameters(), 0.01, 0.1));
        Assert.Equal((0.01, 0.1, true, 0.9, 0.999, 1e-8), (o.LearningRate, o.WeightDecay, o.Decoupled, o.Beta1, o.Beta2, o.Eps));
    }

    [Fact]
    public void Adam_adds_the_weight_decay_to_the_gradient_and_takes_the_callers_beta2()
    {
        using var o = Assert.IsType<Adam>(OptimizerFactory.Create(OptimizerKind.Adam, Parameters(), 0.02, 0.3, beta2: 0.99));
        Assert.Equal((0.02, 0.3, false, 0.9, 0.99), (o.LearningRate, o.WeightDecay, o.Decoupled, o.Beta1, o.Beta2));
    }

    [Fact]
    public void Sgd_has_momentum_0_9()
    {
        using var o = Assert.IsType<Sgd>(OptimizerFactory.Create(OptimizerKind.Sgd, Parameters(), 0.5, 0.2, beta2: 0.99));
        Assert.Equal((0.5, 0.2, 0.9), (o.LearningRate, o.WeightDecay, o.Momentum));
    }

    [Fact]
    public void A_value_outside_the_enum_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerFactory.Create((OptimizerKind)99, Parameters(), 0.1, 0));
    }
}
