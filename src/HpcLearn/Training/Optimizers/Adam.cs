using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

using HpcLearn.Runs;

namespace HpcLearn.Training.Optimizers;

/// <summary>
/// Adam (Kingma and Ba 2015) with weight decay either added to the gradient (Adam) or decoupled
/// from it (AdamW, Loshchilov and Hutter 2019):
/// m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  θ ← θ − lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε).
/// Where it can (<see cref="FlatParameters"/>), the parameters, gradients, m and v each live in one
/// flat buffer and a step is eight libtorch operations over all of them; otherwise, or when a
/// gradient has been moved, eight per parameter. The values are the same either way.
/// </summary>
public sealed class Adam : Optimizer
{
    private readonly Tensor[] _m, _v;

    /// <summary>Creates Adam (<paramref name="decoupled"/> false) or AdamW (true).</summary>
    public Adam(IEnumerable<Parameter> parameters, double lr, double weightDecay = 0, bool decoupled = true,
        double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8) : base(parameters, lr)
    {
        WeightDecay = weightDecay; Decoupled = decoupled; Beta1 = beta1; Beta2 = beta2; Eps = eps;
        _flat = FlatParameters.TryCreate(Parameters);
        if (_flat is null)
        {
            _m = Parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
            _v = Parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        }
        else
        {
            _mFlat = zeros_like(_flat.Data).DetachFromDisposeScope();
            _vFlat = zeros_like(_flat.Data).DetachFromDisposeScope();
            _m = Parameters.Select((p, i) => _mFlat.narrow(0, _flat.Offsets[i], p.numel()).view(p.shape).DetachFromDisposeScope()).ToArray();
            _v = Parameters.Select((p, i) => _vFlat.narrow(0, _flat.Offsets[i], p.numel()).view(p.shape).DetachFromDisposeScope()).ToArray();
        }
    }

    private readonly FlatParameters? _flat;
    private readonly Tensor? _mFlat, _vFlat;

    /// <summary>Weight decay.</summary>
    public double WeightDecay { get; }
    /// <summary>True for AdamW (decay applied to the weights, not the gradient).</summary>
    public bool Decoupled { get; }
    /// <summary>β₁.</summary>
    public double Beta1 { get; }
    /// <summary>β₂.</summary>
    public double Beta2 { get; }
    /// <summary>ε.</summary>
    public double Eps { get; }

    /// <inheritdoc />
    protected override void Update(int i, Parameter p, Tensor grad) => Apply(p, grad, _m[i], _v[i]);

    /// <inheritdoc />
    protected override bool UpdateAll()
    {
        if (_flat is null || !_flat.Ready()) return false;
        Apply(_flat.Data, _flat.Grad, _mFlat!, _vFlat!);
        return true;
    }

    /// <inheritdoc />
    protected override bool ZeroAllGrads()
    {
        if (_flat is null || !_flat.Intact()) return false;
        _flat.Grad.fill_(Constants.Zero);
        return true;
    }

    // One parameter, or all of them as one flat tensor: element by element the same arithmetic.
    private void Apply(Tensor p, Tensor grad, Tensor m, Tensor v)
    {
        double bc1 = 1 - Math.Pow(Beta1, StepCount), bc2 = 1 - Math.Pow(Beta2, StepCount);
        using Scalar decay = 1 - LearningRate * WeightDecay, wd = WeightDecay,
            b1 = Beta1, oneMinusB1 = 1 - Beta1, b2 = Beta2, oneMinusB2 = 1 - Beta2,
            sqrtBc2 = Math.Sqrt(bc2), eps = Eps, stepSize = -LearningRate / bc1;
        if (Decoupled) p.mul_(decay);
        else if (WeightDecay != 0) grad = grad.add(p, wd);
        m.mul_(b1).add_(grad, oneMinusB1);
        v.mul_(b2).addcmul_(grad, grad, oneMinusB2);
        var denom = v.sqrt().div_(sqrtBc2).add_(eps, Constants.One);
        p.addcdiv_(m, denom, stepSize);
    }

    /// <inheritdoc />
    protected override IEnumerable<Tensor> State() => _m.Concat(_v);

    /// <inheritdoc />
    protected override void DisposeFlat()
    {
        _mFlat?.Dispose();
        _vFlat?.Dispose();
        _flat?.Dispose();
    }

    /// <inheritdoc />
    public override IReadOnlyList<Tensor> StateOf(int index) => [_m[index], _v[index]];
}
