using System.Runtime.CompilerServices;

namespace HpcLearn.Tests;

/// <summary>Process-wide set-up of the test run, before any test.</summary>
internal static class TestStartup
{
    /// <summary>
    /// As the CLI at start (<see cref="TorchRuntime.PrepareKernels"/>). oneMKL picks a GEMM's kernels at its first call; the CLI answers oneMKL's vendor check at start
    /// (<see cref="MklCpuPath"/>); a Learner does it in its constructor, so without this, tests that
    /// multiply tensors before any Learner ran on the AVX2 kernels and later ones on AVX-512 ones on
    /// an AMD CPU, and figures checked to many digits depended on the order the tests ran in.
    /// </summary>
    [ModuleInitializer]
    internal static void Init() => TorchRuntime.PrepareKernels();
}
