using System.Runtime.InteropServices;
using TorchSharp;

namespace HpcLearn;

/// <summary>
/// Process-wide set-up of libtorch: malloc tuning, flushing subnormal floats and thread count.
/// Called by the CLI at start and by every Learner, so C# users get the same speed without asking.
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

    /// <summary>
    /// libtorch's process-wide kernel choices, before the first convolution or matrix product:
    /// NNPACK off (<see cref="Nnpack.Disable"/>) and oneMKL's vendor check answered on AMD CPUs
    /// (<see cref="MklCpuPath.Enable"/>). Once per process; called by the CLI at start, every run
    /// (RunSession.Open, before inputs.json records the kernels) and every Learner.
    /// </summary>
    public static void PrepareKernels()
    {
        Nnpack.Disable();
        MklCpuPath.Enable();
    }

    /// <summary>
    /// Sets libtorch's intra-op thread count (never above what the allocation gives); returns the count
    /// applied. <paramref name="requested"/>: the count was asked for (--threads, a config's
    /// <c>threads</c>, a rerun's record), not taken from the cores or the allocation by default.
    /// </summary>
    public static int SetThreads(int threads, bool requested = false)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), "threads must be at least 1");
        PassiveOpenMpWait();
        Volatile.Write(ref _threadsSet, 1);
        Volatile.Write(ref _threadsRequested, requested ? 1 : 0);
        torch.set_num_threads(threads);
        return threads;
    }

    /// <summary>
    /// Whether libtorch's thread count is a default that <see cref="SetThreads"/> applied (the cores,
    /// or the allocation's CPUs) rather than a count the user asked for: a task may lower such a count
    /// where fewer threads are faster, never a requested one (nor one this class never set).
    /// </summary>
    public static bool ThreadsDefaulted => Volatile.Read(ref _threadsSet) == 1 && Volatile.Read(ref _threadsRequested) == 0;

    /// <summary>
    /// Sets libtorch's thread count to <paramref name="threads"/> until the returned scope is
    /// disposed, which puts back the count from before.
    /// </summary>
    public static IDisposable ThreadsFor(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), "threads must be at least 1");
        var restore = new Restore(torch.get_num_threads());
        torch.set_num_threads(threads);
        return restore;
    }

    private sealed class Restore(int before) : IDisposable
    {
        private int _done;
        public void Dispose() { if (Interlocked.Exchange(ref _done, 1) == 0) torch.set_num_threads(before); }
    }

    private static int _threadsSet, _threadsRequested, _threadsTuned, _ompPrepared;

    /// <summary>
    /// What the Learner does for C# users who did not choose a thread count: when libtorch still
    /// has its default (one thread per core) and other processes keep the cores busy, fewer
    /// threads (<see cref="Cluster.ThreadSettings.ForLoad"/>). Once per process; nothing after
    /// <see cref="SetThreads"/> (the CLI's choice stands). Returns libtorch's thread count.
    /// </summary>
    public static int TuneThreads()
    {
        PassiveOpenMpWait();
        int now = torch.get_num_threads();
        if (Volatile.Read(ref _threadsSet) == 1 || Interlocked.Exchange(ref _threadsTuned, 1) == 1 || now != Environment.ProcessorCount) return now;
        int tuned = ThreadsBeside(now, OtherRunnableTasks(), Environment.ProcessorCount);
        if (tuned != now) torch.set_num_threads(tuned);
        return tuned;
    }

    /// <summary>
    /// How many of <paramref name="threads"/> libtorch threads to run on <paramref name="cores"/> cores
    /// beside <paramref name="othersRunnable"/> runnable tasks of other processes: all of them when
    /// they fit or the load is not known (null), else the cores left free, at least one. The rule of
    /// <see cref="Cluster.ThreadSettings.ForLoad"/>; here so that this root type uses nothing of Cluster.
    /// </summary>
    public static int ThreadsBeside(int threads, int? othersRunnable, int cores)
        => othersRunnable is not { } others || threads <= 1 || others + threads <= cores ? threads : Math.Min(threads, Math.Max(1, cores - others));

    /// <summary>
    /// On request (<c>HPCLEARN_OMP_WAIT=passive</c>), makes libtorch's OpenMP threads sleep, not
    /// spin, while they wait for work: sets <c>OMP_WAIT_POLICY=PASSIVE</c> for GNU libgomp, which
    /// reads it once, when libtorch loads. Not the default: on a quiet 2-core machine passive
    /// waiting made 2 threads train the recommender 4x slower (664 against 2,798 steps/s spinning)
    /// and the text model 23% slower, a futex wake per parallel region; beside busy processes it
    /// did not rescue 2 threads either (409 against 1,536 steps/s for 1 thread). What protects a
    /// busy machine is <see cref="TuneThreads"/> / <see cref="Cluster.ThreadSettings.ForLoad"/>: one
    /// thread there (docs/benchmarks.md, threads-contention). Does nothing when <c>OMP_WAIT_POLICY</c>
    /// or <c>GOMP_SPINCOUNT</c> is already set, off Linux, or when libgomp is already loaded. The CLI
    /// calls it first thing. Returns whether the policy is passive now.
    /// </summary>
    public static bool PassiveOpenMpWait()
    {
        if (!string.Equals(Environment.GetEnvironmentVariable("HPCLEARN_OMP_WAIT"), "passive", StringComparison.OrdinalIgnoreCase)) return OpenMpWaitIsPassive;
        if (Interlocked.Exchange(ref _ompPrepared, 1) == 1 || !OperatingSystem.IsLinux()) return OpenMpWaitIsPassive;
        if (Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null || Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") is not null
            || OpenMpLoaded()) return OpenMpWaitIsPassive;
        try
        {
            // libgomp reads the C environment (environ), which Environment.SetEnvironmentVariable
            // does not change on Unix; the managed copy is for child processes and for messages.
            if (setenv("OMP_WAIT_POLICY", "PASSIVE", 0) == 0) Environment.SetEnvironmentVariable("OMP_WAIT_POLICY", "PASSIVE");
        }
        catch (DllNotFoundException) { }
        catch (EntryPointNotFoundException) { }
        return OpenMpWaitIsPassive;
    }

    private static bool OpenMpWaitIsPassive
        => string.Equals(Environment.GetEnvironmentVariable("OMP_WAIT_POLICY"), "PASSIVE", StringComparison.OrdinalIgnoreCase);

    // libgomp reads OMP_* when it is loaded (with libtorch, at TorchSharp's first use).
    private static bool OpenMpLoaded()
    {
        try { return File.ReadLines("/proc/self/maps").Any(l => l.Contains("libgomp", StringComparison.Ordinal)); }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    /// <summary>
    /// Tasks of other processes running or waiting for a core right now: the least of a few
    /// samples of <c>procs_running</c> in /proc/stat 10 ms apart, less this thread. Null where that
    /// does not say what competes with this process: off Linux, when this process may not use every
    /// core of the machine (CPU binding or a cgroup limit: the others may be on other cores), or when
    /// the environment says <c>HPCLEARN_BUSY_CHECK=off</c>.
    /// </summary>
    public static int? OtherRunnableTasks()
    {
        if (!OperatingSystem.IsLinux()
            || string.Equals(Environment.GetEnvironmentVariable("HPCLEARN_BUSY_CHECK"), "off", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            int least = int.MaxValue;
            for (int i = 0; i < 5; i++)
            {
                if (i > 0) Thread.Sleep(10);
                int cpus = 0, running = -1;
                foreach (var line in File.ReadLines("/proc/stat"))
                {
                    if (line.StartsWith("cpu", StringComparison.Ordinal) && line.Length > 3 && char.IsAsciiDigit(line[3])) cpus++;
                    else if (line.StartsWith("procs_running ", StringComparison.Ordinal)) running = int.Parse(line.AsSpan(14), System.Globalization.CultureInfo.InvariantCulture);
                }
                if (cpus != Environment.ProcessorCount || running < 1) return null;
                least = Math.Min(least, running - 1);
            }
            return least;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        catch (FormatException) { return null; }
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

    /// <summary>
    /// Makes the calling thread flush subnormal floats to zero (x86-64: the FTZ and DAZ bits of
    /// MXCSR; arm64: FPCR.FZ), as TensorFlow's threads do by default and PyTorch's
    /// <c>torch.set_flush_denormal(True)</c> does on request. Values below 1.2e-38 (float32) or
    /// 2.2e-308 (float64) become 0. Training makes such values (Adam's moments of a weight whose
    /// gradient is zero decay through that range), and the CPU handles each of them about a hundred
    /// times slower: a tabular step took 1.2 ms instead of 0.8 ms, and its time varied by ±20%,
    /// which under data parallelism every rank waits for. Threads created after this call inherit
    /// the setting (libtorch's worker threads start at its first parallel operation), so the CLI
    /// calls it first thing. Returns the previous state, to hand to <see cref="RestoreDenormals"/>,
    /// or null where not supported or when the environment says <c>HPCLEARN_DENORMALS=keep</c>
    /// (then nothing changed).
    /// </summary>
    public static uint? FlushDenormals()
    {
        if (KeepDenormals || !TryReadControl(out var env, out int offset, out uint bits, out uint old)) return null;
        return WriteControl(env, offset, old | bits) ? old : null;
    }

    /// <summary>True when the environment variable <c>HPCLEARN_DENORMALS</c> is <c>keep</c>: IEEE gradual underflow everywhere.</summary>
    public static bool KeepDenormals => string.Equals(Environment.GetEnvironmentVariable("HPCLEARN_DENORMALS"), "keep", StringComparison.OrdinalIgnoreCase);

    /// <summary>Puts back the calling thread's flush-to-zero state that <see cref="FlushDenormals"/> returned.</summary>
    public static void RestoreDenormals(uint? previous)
    {
        if (previous is { } old && TryReadControl(out var env, out int offset, out uint bits, out uint now))
            WriteControl(env, offset, (now & ~bits) | (old & bits));
    }

    /// <summary>True when the calling thread flushes subnormals to zero.</summary>
    public static bool DenormalsFlushed
        => TryReadControl(out _, out _, out uint bits, out uint word) && (word & bits) == bits;

    // The calling thread's floating-point environment, and in it the control word that holds the
    // flush bits. False where that is not known or libm cannot be called (then nothing is read).
    private static bool TryReadControl(out byte[] env, out int offset, out uint bits, out uint word)
    {
        env = new byte[64];
        word = 0;
        if (!FenvLayout(out offset, out bits)) return false;
        try
        {
            if (fegetenv(env) != 0) return false;
        }
        catch (DllNotFoundException) { return false; }
        catch (EntryPointNotFoundException) { return false; }
        word = BitConverter.ToUInt32(env, offset);
        return true;
    }

    private static bool WriteControl(byte[] env, int offset, uint word)
    {
        BitConverter.TryWriteBytes(env.AsSpan(offset), word);
        return fesetenv(env) == 0;
    }

    // glibc's fenv_t: on x86-64 the SSE control/status register (MXCSR) is the 32-bit word at
    // byte 28 (after the x87 environment), FTZ = bit 15, DAZ = bit 6; on arm64 FPCR is the first
    // word, FZ = bit 24.
    private static bool FenvLayout(out int offset, out uint bits)
    {
        (offset, bits) = (0, 0);
        if (!OperatingSystem.IsLinux()) return false;
        switch (RuntimeInformation.ProcessArchitecture)
        {
            case Architecture.X64: (offset, bits) = (28, 0x8040u); return true;
            case Architecture.Arm64: (offset, bits) = (0, 1u << 24); return true;
            default: return false;
        }
    }

    [DllImport("libm.so.6")]
    private static extern int fegetenv([Out] byte[] env);

    [DllImport("libm.so.6")]
    private static extern int fesetenv([In] byte[] env);

    private const int MTrimThreshold = -1, MTopPad = -2, MMmapThreshold = -3;

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);
}
