using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Pde;

/// <summary>
/// The network u_θ of a physics-informed neural network (Raissi, Perdikaris and Karniadakis 2019):
/// a tanh (or sine) MLP on (x, t) or (x, y), inputs first scaled from the domain box to [−1, 1]; Glorot-normal weights,
/// zero biases. Default sizes are Raissi's Burgers net: 2 → 8 × 20 → 1 (9 weight layers).
/// </summary>
public sealed class PinnModel : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Linear> layers = new();
    private readonly Tensor scale, shift;
    private static readonly Scalar One = 1.0;

    /// <summary>Creates the MLP with <paramref name="sizes"/> = [inputs, hidden…, outputs].</summary>
    /// <param name="sizes">Layer widths, inputs first, outputs last; null for [2, 20 × 8, 1].</param>
    /// <param name="lower">Lower corner of the input box (default (−1, 0)).</param>
    /// <param name="upper">Upper corner of the input box (default (1, 1)).</param>
    /// <param name="dtype">float32 or float64.</param>
    /// <param name="activation">Hidden activation: tanh or sin.</param>
    public PinnModel(IReadOnlyList<int>? sizes = null, double[]? lower = null, double[]? upper = null, ScalarType dtype = ScalarType.Float32, string activation = "tanh")
        : base(nameof(PinnModel))
    {
        sizes ??= DefaultSizes;
        if (sizes.Count < 2 || sizes.Any(s => s < 1))
            throw new UserError($"PINN layer sizes must be at least [inputs, outputs], all positive; got [{string.Join(", ", sizes)}]");
        if (dtype is not (ScalarType.Float32 or ScalarType.Float64))
            throw new UserError($"PINN dtype must be float32 or float64, got {dtype}");
        if (activation is not ("tanh" or "sin"))
            throw new UserError($"PINN activation must be tanh or sin, got '{activation}'");
        Activation = activation;
        lower ??= [-1, 0];
        upper ??= [1, 1];
        if (lower.Length != sizes[0] || upper.Length != sizes[0])
            throw new UserError($"PINN input box has {lower.Length}/{upper.Length} bounds for {sizes[0]} inputs");
        Sizes = sizes.ToArray();
        Lower = lower.ToArray();
        Upper = upper.ToArray();
        Dtype = dtype;
        for (int i = 0; i + 1 < sizes.Count; i++)
        {
            var linear = nn.Linear(sizes[i], sizes[i + 1], hasBias: true, dtype: dtype);
            using (no_grad())
            {
                nn.init.xavier_normal_(linear.weight!);
                nn.init.zeros_(linear.bias!);
            }
            layers.Add(linear);
        }
        // h = 2(X − lb)/(ub − lb) − 1 = X·scale + shift.
        scale = tensor(lower.Zip(upper, (l, u) => 2 / (u - l)).ToArray(), dtype: dtype);
        shift = tensor(lower.Zip(upper, (l, u) => -2 * l / (u - l) - 1).ToArray(), dtype: dtype);
        RegisterComponents();
    }

    /// <summary>[2, 20, 20, 20, 20, 20, 20, 20, 20, 1], Raissi's Burgers network.</summary>
    public static IReadOnlyList<int> DefaultSizes { get; } = [2, 20, 20, 20, 20, 20, 20, 20, 20, 1];

    /// <summary>Layer widths, inputs first.</summary>
    public IReadOnlyList<int> Sizes { get; }
    /// <summary>Number of inputs.</summary>
    public int Inputs => Sizes[0];
    /// <summary>Number of outputs.</summary>
    public int Outputs => Sizes[^1];
    /// <summary>Hidden activation: tanh or sin.</summary>
    public string Activation { get; }
    /// <summary>Lower corner of the input box.</summary>
    public IReadOnlyList<double> Lower { get; }
    /// <summary>Upper corner of the input box.</summary>
    public IReadOnlyList<double> Upper { get; }
    /// <summary>Parameter dtype.</summary>
    public ScalarType Dtype { get; }

    /// <summary>Conditions built into the output (u = G + D·N); null for the plain network.</summary>
    public HardConstraint? Hard { get; set; }

    /// <summary>u_θ(X): (N, inputs) → (N, outputs).</summary>
    public override Tensor forward(Tensor input)
    {
        if (input.ndim != 2 || input.size(1) != Inputs)
            throw new UserError($"PINN input must have shape (N, {Inputs}), got ({string.Join(", ", input.shape)})");
        var h = input.mul(scale).add_(shift, One);          // (N, in) in [−1, 1]
        bool sine = Activation == "sin";
        for (int i = 0; i < layers.Count - 1; i++)
            h = sine ? layers[i].forward(h).sin_() : layers[i].forward(h).tanh_();   // (N, width)
        var network = layers[^1].forward(h);                // (N, out)
        return Hard is null ? network : Hard.Apply(input, network);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) { scale.Dispose(); shift.Dispose(); }
        base.Dispose(disposing);
    }
}
