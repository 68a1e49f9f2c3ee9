using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using HpcLearn.Tasks.Clustering;

namespace HpcLearn.Bench;

/// <summary>
/// gmm N D K ITERS THREADS OUTDIR: Gaussian blobs (seed 42, std 2 around K centres in [-10, 10]^D)
/// written to OUTDIR/data.f32, and a common start written to OUTDIR/init.f64: weights 1/K, means =
/// K points drawn with seed 7, every variance = the data's column variance (diagonal). Our diagonal
/// Gaussian mixture from that start, ITERS EM iterations, tolerance 0, reg_covar 1e-6, three times;
/// prints the median time and the final mean log-likelihood.
/// </summary>
internal static class GmmBench
{
    public static int Run(string[] args)
    {
        int n = int.Parse(args[0]), d = int.Parse(args[1]), k = int.Parse(args[2]), iters = int.Parse(args[3]), threads = int.Parse(args[4]);
        string dir = args[5];
        Directory.CreateDirectory(dir);
        var blobs = ClusterData.Blobs(n, k, d, std: 2, seed: 42);
        var x = blobs.Data;
        var rng = new Random(7);
        var means = new double[k * d];
        var picks = new HashSet<int>();
        for (int c = 0; c < k; c++)
        {
            int i; do i = rng.Next(n); while (!picks.Add(i));
            for (int j = 0; j < d; j++) means[c * d + j] = x[i * d + j];
        }
        var colVar = new double[d];
        for (int j = 0; j < d; j++)
        {
            double s = 0, s2 = 0;
            for (int i = 0; i < n; i++) { double v = x[i * d + j]; s += v; s2 += v * v; }
            colVar[j] = s2 / n - (s / n) * (s / n);
        }
        var weights = Enumerable.Repeat(1.0 / k, k).ToArray();
        var vars = Enumerable.Range(0, k * d).Select(t => colVar[t % d]).ToArray();
        File.WriteAllBytes(Path.Combine(dir, "data.f32"), MemoryMarshal.AsBytes(x.AsSpan()).ToArray());
        File.WriteAllBytes(Path.Combine(dir, "init.f64"), MemoryMarshal.AsBytes(weights.Concat(means).Concat(vars).ToArray().AsSpan()).ToArray());
        var opts = new GaussianMixtureOptions
        {
            K = k, Covariance = CovarianceType.Diagonal, Init = GaussianMixtureInit.Given, InitialWeights = weights, InitialMeans = means, InitialCovariances = vars,
            MaxIterations = iters, Tolerance = 0, RegCovar = 1e-6, Threads = threads,
        };
        GaussianMixture.Fit(x, n, d, opts with { MaxIterations = 1 }); // JIT warm-up
        var times = new List<double>();
        GaussianMixtureResult r = null!;
        for (int rep = 0; rep < 3; rep++)
        {
            var sw = Stopwatch.StartNew();
            r = GaussianMixture.Fit(x, n, d, opts);
            times.Add(sw.Elapsed.TotalSeconds);
        }
        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"n={n} d={d} k={k} threads={threads} iterations={r.Iterations} time_s={times[1]:F4} log_likelihood={r.LogLikelihood:R}"));
        return 0;
    }
}
