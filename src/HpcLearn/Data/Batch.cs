using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Data;

/// <summary>
/// One mini-batch: the model's inputs (one tensor per input, e.g. numeric and categorical
/// features) and the target. Owns its tensors: dispose it when the step is done.
/// </summary>
public sealed class Batch : IDisposable
{
    /// <summary>Creates a batch that owns the given tensors.</summary>
    public Batch(Tensor[] inputs, Tensor target)
    {
        Inputs = inputs;
        Target = target;
    }

    /// <summary>Model inputs, each with the batch as the first dimension.</summary>
    public Tensor[] Inputs { get; }

    /// <summary>Targets, batch first.</summary>
    public Tensor Target { get; }

    /// <summary>Number of examples.</summary>
    public long Size => Target.size(0);   // not shape[0]: TorchSharp's shape leaves a finalisable object per call

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in Inputs) t.Dispose();
        Target.Dispose();
    }
}
