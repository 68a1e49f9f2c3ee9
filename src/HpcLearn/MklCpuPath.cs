using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using TorchSharp;

namespace HpcLearn;

/// <summary>
/// Lets libtorch's oneMKL use its fast kernels on AMD processors. libtorch 2.10 links oneMKL 2024.0
/// statically, and oneMKL picks its AVX-512 kernels only when the CPU vendor string is
/// "GenuineIntel" (its <c>mkl_serv_intel_cpu_true</c>); on other x86-64 CPUs it falls back to the AVX2
/// path whatever the CPU has. On an AMD EPYC (Zen 4, AVX-512) a 2048² float32 matrix product ran at
/// 109 GFLOPS on one core that way, and at 241 GFLOPS (OpenBLAS: 257) with the vendor check answered
/// "yes" (<c>bench/run gemm-path</c>; docs/benchmarks.md). <c>MKL_DEBUG_CPU_TYPE</c> no longer works
/// since oneMKL 2020.1, and <c>MKL_CBWR</c> / <c>MKL_ENABLE_INSTRUCTIONS</c> change nothing here.
/// <para>
/// oneMKL keeps that answer in a variable (-1 until first asked). The function's first instruction
/// reads it (<c>mov eax, [rip + d]</c>, then <c>test eax, eax; js</c>): we find the variable from that
/// instruction and store 1 before the first matrix product, so oneMKL then chooses its kernels from
/// the CPU's feature flags as it does on Intel. Every other check stays oneMKL's own (an AVX2-only
/// AMD CPU gets the AVX2 kernels). Nothing is touched unless the CPU is AMD, the function is exported
/// and its code is exactly that pattern (another libtorch build: nothing changes).
/// <c>HPCLEARN_MKL_VENDOR_CHECK=keep</c> opts out.
/// </para>
/// </summary>
public static class MklCpuPath
{
    private static readonly Lazy<string> _state = new(Try); // thread-safe: Try runs once

    /// <summary>What <see cref="Enable"/> found, for logs, inputs.json and <c>bench/run</c>: e.g. "on: oneMKL vendor check answered for AMD"; "not set up" before it ran.</summary>
    public static string State => _state.IsValueCreated ? _state.Value : "not set up";

    /// <summary>
    /// Once per process, before the first matrix product (through TorchRuntime.PrepareKernels: the CLI at start, every run and every Learner, for C#
    /// users). Returns whether oneMKL now takes the kernels of the CPU's features.
    /// </summary>
    public static bool Enable() => _state.Value.StartsWith("on", StringComparison.Ordinal);

    private static string Try()
    {
        if (string.Equals(Environment.GetEnvironmentVariable("HPCLEARN_MKL_VENDOR_CHECK"), "keep", StringComparison.OrdinalIgnoreCase))
            return "off: HPCLEARN_MKL_VENDOR_CHECK=keep";
        if (!OperatingSystem.IsLinux() || !X86Base.IsSupported) return "off: not x86-64 Linux";
        string vendor = Vendor();
        if (vendor == "GenuineIntel") return "on: Intel CPU (oneMKL's own choice)";
        if (vendor != "AuthenticAMD") return $"off: CPU vendor {vendor}";
        try
        {
            _ = torch.get_num_threads(); // TorchSharp loads libtorch on its first call
            if (!NativeLibrary.TryLoad("libtorch_cpu.so", out var lib)) return "off: libtorch_cpu.so not found";
            if (!NativeLibrary.TryGetExport(lib, "mkl_serv_intel_cpu_true", out var fn)) return "off: libtorch has no oneMKL vendor check";
            return Patch(fn);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException)
        {
            return "off: libtorch did not load";
        }
    }

    // mkl_serv_intel_cpu_true: 8B 05 d32 (mov eax, [rip + d32]); 85 C0 (test eax, eax); 78 (js ...).
    private static unsafe string Patch(IntPtr fn)
    {
        byte* code = (byte*)fn;
        if (code[0] != 0x8B || code[1] != 0x05 || code[6] != 0x85 || code[7] != 0xC0 || code[8] != 0x78)
            return "off: oneMKL's vendor check is not the known code (another oneMKL build)";
        int* cached = (int*)(code + 6 + *(int*)(code + 2));
        int was = Volatile.Read(ref *cached);
        if (was == 1) return "on: oneMKL already on its fast path";
        if (was is not (-1 or 0)) return $"off: oneMKL's vendor-check variable holds {was}, not -1 or 0";
        Interlocked.Exchange(ref *cached, 1);
        return "on: oneMKL vendor check answered for AMD";
    }

    /// <summary>The CPU vendor string (CPUID leaf 0), e.g. "AuthenticAMD"; "" off x86.</summary>
    internal static string Vendor()
    {
        if (!X86Base.IsSupported) return "";
        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        Span<int> regs = [ebx, edx, ecx];
        return System.Text.Encoding.ASCII.GetString(MemoryMarshal.AsBytes(regs));
    }
}
