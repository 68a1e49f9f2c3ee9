using TorchSharp;

using HpcLearn.Runs;

namespace HpcLearn.Training.Optimizers;

/// <summary>
/// Scalars that live for the whole process. TorchSharp overloads without an explicit alpha
/// (<c>add_(t)</c>, <c>add_(scalar)</c>) make a temporary <c>Scalar 1</c> that nothing references
/// during the native call; a collection then may finalize it mid-call. Pass these instead.
/// </summary>
internal static class Constants
{
    /// <summary>1, for the alpha of additions.</summary>
    public static readonly Scalar One = 1.0;

    /// <summary>Zero. <c>Tensor.zero_()</c> leaves a finalisable object behind per call; <c>fill_(Zero)</c> does not.</summary>
    public static readonly Scalar Zero = 0.0;
}
