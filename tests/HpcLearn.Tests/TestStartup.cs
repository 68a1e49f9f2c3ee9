using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HpcLearn.Tests;

/// <summary>Process-wide set-up of the test run, before any test.</summary>
internal static class TestStartup
{
    /// <summary>
    /// As the CLI at start (<see cref="TorchRuntime.PrepareKernels"/>). oneMKL picks a GEMM's kernels at its first call; the CLI answers oneMKL's vendor check at start
    /// (<see cref="MklCpuPath"/>); a Learner does it in its constructor, so without this, tests that
    /// multiply tensors before any Learner ran on the AVX2 kernels and later ones on AVX-512 ones on
    /// an AMD CPU, and figures checked to many digits depended on the order the tests ran in.
    /// <para>
    /// oneDNN is held to its AVX2 kernels (<c>ONEDNN_MAX_CPU_ISA=AVX2</c>, unless set), so that every
    /// test runs the same convolution kernels whatever ran before it. The product decides this per
    /// network (<see cref="ConvolutionCheck"/>: on the 2-core AMD EPYC (Zen 4) of 2026-12-05 oneDNN's
    /// AVX-512 kernels computed channel counts that are not multiples of 16 wrong, and the tiny games
    /// networks of the tests went NaN): in one process that would depend on which test built a
    /// network first. ConvolutionCheckTests runs the product's own choice in a separate process.
    /// </para>
    /// </summary>
    [ModuleInitializer]
    internal static void Init()
    {
        if (Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA") is null && OperatingSystem.IsLinux())
            setenv("ONEDNN_MAX_CPU_ISA", "AVX2", 0);
        TorchRuntime.PrepareKernels();
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int setenv(string name, string value, int overwrite);
}
