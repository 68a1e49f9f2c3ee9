using TorchSharp;

using HpcLearn.Runs;

namespace HpcLearn.Training.Callbacks;

/// <summary>Clips the global L2 norm of the gradients before each optimiser step.</summary>
public sealed class GradientClipCallback(double maxNorm) : Callback
{
    /// <inheritdoc />
    public override int Order => CallbackOrder.GradientClip;

    /// <summary>The largest gradient norm allowed.</summary>
    public double MaxNorm { get; } = maxNorm > 0 ? maxNorm : throw new ArgumentOutOfRangeException(nameof(maxNorm));

    /// <inheritdoc />
    public override void AfterBackward(Learner learner)
        => torch.nn.utils.clip_grad_norm_(learner.Model.parameters(), MaxNorm);
}
