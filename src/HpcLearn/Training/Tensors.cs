using static TorchSharp.torch;

using HpcLearn.Runs;

namespace HpcLearn.Training;

/// <summary>Model inputs and targets for a whole data split.</summary>
/// <param name="Inputs">One tensor per model input, examples along dimension 0.</param>
/// <param name="Target">Targets, examples along dimension 0.</param>
public sealed record Tensors(Tensor[] Inputs, Tensor Target);
