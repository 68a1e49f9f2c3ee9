using System.Diagnostics;
using static TorchSharp.torch;

namespace HpcLearn.Bench;

/// <summary>
/// gemm THREADS [N]: best-of-5 GFLOPS of an N x N float32 matmul (default 2048) through TorchSharp
/// with THREADS libtorch threads, the same measurement bench/peers/blas_info.py makes for the
/// Python peers, so every comparison can be read against what the machine's GEMM does on each side.
/// The libtorch NuGet package links Intel oneMKL statically (libtorch_cpu.so has no libblas or
/// libmkl dependency; its strings carry oneMKL's version banner): run with MKL_VERBOSE=1 to have
/// MKL print its version and the instruction set it dispatched to on this CPU. The program answers
/// oneMKL's vendor check on AMD CPUs at start, as the CLI does (<see cref="MklCpuPath"/>; prints
/// mkl_path=...); HPCLEARN_MKL_VENDOR_CHECK=keep measures oneMKL's own choice.
/// </summary>
internal static class GemmBench
{
    public static int Run(string[] args)
    {
        int threads = args.Length > 0 ? int.Parse(args[0]) : Environment.ProcessorCount;
        int n = args.Length > 1 ? int.Parse(args[1]) : 2048;
        set_num_threads(threads);
        using var a = randn(n, n, dtype: ScalarType.Float32, generator: new TorchSharp.torch.Generator(0));
        using var b = randn(n, n, dtype: ScalarType.Float32, generator: new TorchSharp.torch.Generator(1));
        using (no_grad())
        {
            matmul(a, b).Dispose();   // warm-up: thread pool start, page faults
            double best = double.MaxValue;
            for (int i = 0; i < 5; i++)
            {
                var sw = Stopwatch.StartNew();
                matmul(a, b).Dispose();
                best = Math.Min(best, sw.Elapsed.TotalSeconds);
            }
            Console.WriteLine($"threads={get_num_threads()} n={n} gflops={2.0 * n * n * (double)n / best / 1e9:F1} mkl_path={MklCpuPath.State.Replace(' ', '_')}");
        }
        return 0;
    }
}
