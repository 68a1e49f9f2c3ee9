using System.Runtime.InteropServices;
using TorchSharp;

namespace HpcLearn;

/// <summary>
/// libtorch's oneDNN ("mkldnn") convolutions: PyTorch's <c>torch.backends.mkldnn.enabled</c> switch
/// (<c>at::globalContext().setUserEnabledMkldnn</c>, which TorchSharp does not wrap) and oneDNN's
/// instruction-set cap. Used by <see cref="ConvolutionCheck"/>.
/// </summary>
public static class OneDnn
{
    /// <summary>Whether libtorch may use oneDNN (true also when that cannot be asked).</summary>
    public static bool Enabled()
    {
        try { _ = torch.get_num_threads(); return UserEnabledMkldnn(GlobalContext()); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return true; }
    }

    /// <summary>Switches oneDNN off for the process (libtorch's own kernels from the next operation on); false where libtorch's entry points are missing.</summary>
    public static bool Disable()
    {
        try { _ = torch.get_num_threads(); SetUserEnabledMkldnn(GlobalContext(), false); return !Enabled(); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }

    /// <summary>
    /// On x86-64 Linux with AVX-512, before oneDNN's first kernel in the process: sets
    /// <c>ONEDNN_MAX_CPU_ISA=AVX2</c>, which oneDNN reads once, when it first picks kernels. Nothing when
    /// the user set it (or <c>DNNL_MAX_CPU_ISA</c>) or oneDNN is off. Returns whether it was set. Through
    /// libc: .NET keeps its own copy of the environment, which oneDNN never reads. Once oneDNN has picked
    /// its kernels this changes nothing; <see cref="ConvolutionCheck"/> checks afterwards.
    /// </summary>
    public static bool HoldToAvx2()
    {
        if (!OperatingSystem.IsLinux() || !System.Runtime.Intrinsics.X86.Avx512F.IsSupported || !Enabled()) return false;
        if (getenv("ONEDNN_MAX_CPU_ISA") != IntPtr.Zero || getenv("DNNL_MAX_CPU_ISA") != IntPtr.Zero) return false;
        return setenv("ONEDNN_MAX_CPU_ISA", "AVX2", 0) == 0;
    }

    [DllImport("torch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr GlobalContext();

    [DllImport("torch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    private static extern void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport("torch_cpu", EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool UserEnabledMkldnn(IntPtr context);

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr getenv(string name);

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int setenv(string name, string value, int overwrite);
}
