using TorchSharp;
using Xunit;

namespace HpcLearn.Tests;

/// <summary>
/// <see cref="MklCpuPath"/>: on an AMD or Intel x86-64 CPU oneMKL ends on the kernels of the CPU's
/// features, and matrix products then still agree with a product summed in double (the oracle).
/// </summary>
public sealed class MklCpuPathTests
{
    [SkippableFact]
    public void On_amd_and_intel_cpus_onemkl_takes_the_fast_path_and_products_agree_with_a_double_sum()
    {
        string vendor = MklCpuPath.Vendor();
        Skip.IfNot(vendor is "AuthenticAMD" or "GenuineIntel", $"oneMKL's vendor check concerns x86-64 AMD and Intel CPUs; this CPU is '{vendor}'");
        Skip.If(string.Equals(Environment.GetEnvironmentVariable("HPCLEARN_MKL_VENDOR_CHECK"), "keep", StringComparison.OrdinalIgnoreCase), "HPCLEARN_MKL_VENDOR_CHECK=keep is set");
        Assert.True(MklCpuPath.Enable(), MklCpuPath.State);
        Assert.StartsWith("on:", MklCpuPath.State);
        Assert.True(MklCpuPath.Enable(), "a second call reports the same");

        // Float32 and float64 products, sizes large enough for oneMKL's blocked kernels and odd edges.
        foreach (var dtype in new[] { torch.float32, torch.float64 })
        {
            const int m = 129, k = 257, n = 67;
            using var scope = torch.NewDisposeScope();
            var a = torch.randn(m, k, dtype: dtype, generator: new torch.Generator(3));
            var b = torch.randn(k, n, dtype: dtype, generator: new torch.Generator(4));
            var c = torch.mm(a, b).to(torch.float64).data<double>().ToArray();
            var ad = a.to(torch.float64).data<double>().ToArray();
            var bd = b.to(torch.float64).data<double>().ToArray();
            double worst = 0;
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double sum = 0;
                    for (int t = 0; t < k; t++) sum += ad[i * k + t] * bd[t * n + j];
                    worst = Math.Max(worst, Math.Abs(sum - c[i * n + j]));
                }
            // float32: 257 products of N(0,1) values, sum ~ 16 in size: a few ulps of 16 each step.
            Assert.True(worst < (dtype == torch.float32 ? 1e-3 : 1e-10), $"{dtype}: largest difference {worst}");
        }
    }
}
