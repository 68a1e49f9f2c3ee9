using System.Runtime.InteropServices;
using TorchSharp;

namespace HpcLearn;

/// <summary>
/// Process-wide set-up of libtorch: malloc tuning and thread count. Called by the CLI at start
/// and by every Learner, so C# users get the same speed without asking.
/// </summary>
public static class TorchRuntime
{
    private static int _mallocTuned;

    /// <summary>
    /// Keeps glibc from handing libtorch's large buffers back to the OS after every step
    /// (which made steps 3-5x slower and noisy). Does nothing off Linux or when already done.
    /// Users who set MALLOC_* variables themselves keep theirs.
    /// </summary>
    public static void TuneMalloc()
    {
        if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref _mallocTuned, 1) == 1) return;
        if (Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not null) return;
        try
        {
            mallopt(MMmapThreshold, 1 << 30);
            mallopt(MTrimThreshold, int.MaxValue);
            mallopt(MTopPad, 256 << 20);
        }
        catch (DllNotFoundException) { }       // musl or another libc: nothing to tune
        catch (EntryPointNotFoundException) { }
    }

    /// <summary>Sets libtorch's intra-op thread count (never above what the allocation gives).</summary>
    public static void SetThreads(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), "threads must be at least 1");
        torch.set_num_threads(threads);
    }

    /// <summary>
    /// The libtorch device for a config's <c>device</c> value: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.
    /// The default packages are CPU-only; asking for CUDA without a CUDA build (or without a
    /// visible GPU) is a user error that says what to change.
    /// </summary>
    public static torch.Device ResolveDevice(string name)
    {
        string n = name.Trim().ToLowerInvariant();
        if (n == "cpu") return torch.CPU;
        if (n == "cuda" || n.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!torch.cuda.is_available())
                throw new UserError($"device '{name}': this libtorch build has no CUDA or no GPU is visible; " +
                    "use device: cpu, or swap the libtorch-cpu-linux-x64 package for a CUDA build (docs/install.md)");
            return new torch.Device(n);
        }
        throw new UserError($"device '{name}' is not known; use cpu, cuda or cuda:N");
    }

    private const int MTrimThreshold = -1, MTopPad = -2, MMmapThreshold = -3;

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);
}
