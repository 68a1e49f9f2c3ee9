using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

using HpcLearn.Runs;

namespace HpcLearn.Training.Optimizers;

/// <summary>SGD with heavy-ball momentum and L2 weight decay: b ← μb + (g + λθ); θ ← θ − lr·b.</summary>
public sealed class Sgd : Optimizer
{
    private readonly Tensor[] _buffer;

    /// <summary>Creates SGD.</summary>
    public Sgd(IEnumerable<Parameter> parameters, double lr, double momentum = 0.9, double weightDecay = 0) : base(parameters, lr)
    {
        Momentum = momentum; WeightDecay = weightDecay;
        _buffer = Parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
    }

    /// <summary>Momentum μ.</summary>
    public double Momentum { get; }
    /// <summary>Weight decay λ.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc />
    protected override void Update(int i, Parameter p, Tensor grad)
    {
        using Scalar wd = WeightDecay, mu = Momentum, step = -LearningRate;
        if (WeightDecay != 0) grad = grad.add(p, wd);
        // PyTorch starts the buffer at the first gradient; a zero buffer times μ plus g is the same.
        _buffer[i].mul_(mu).add_(grad, Constants.One);
        p.add_(_buffer[i], step);
    }

    /// <inheritdoc />
    protected override IEnumerable<Tensor> State() => _buffer;

    /// <inheritdoc />
    public override IReadOnlyList<Tensor> StateOf(int index) => [_buffer[index]];
}
