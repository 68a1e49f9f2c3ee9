using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Recommend;

/// <summary>
/// fastai's sigmoid_range: σ(x) scaled to (low, high). Its scalars live as long as the model,
/// so no temporary Scalar is made in the training loop (docs/training.md).
/// </summary>
internal sealed class RatingRange
{
    private readonly Scalar _low, _span;
    private static readonly Scalar One = 1.0;

    /// <summary>The range (low, high).</summary>
    public RatingRange(double low, double high)
    {
        Low = low;
        High = high;
        _low = low;
        _span = high - low;
    }

    /// <summary>Lower end.</summary>
    public double Low { get; }
    /// <summary>Upper end.</summary>
    public double High { get; }

    /// <summary>low + (high − low) σ(x).</summary>
    public Tensor Squash(Tensor x) => sigmoid(x).mul(_span).add(_low, One);
}
