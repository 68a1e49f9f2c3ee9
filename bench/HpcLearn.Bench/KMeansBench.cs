using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using HpcLearn.Tasks.Clustering;

namespace HpcLearn.Bench;

/// <summary>
/// k-means N D K ITERS THREADS OUTDIR: Gaussian blobs (seed 42, std 4 around centres in [-10, 10]^D,
/// so Lloyd keeps moving for ITERS iterations), written to OUTDIR/data.f32 and the K starting centres
/// (K points drawn with seed 7) to OUTDIR/init.f32, raw little-endian float32 row-major. Then our
/// k-means from those centres, MaxIterations = ITERS, tolerance 0, five times; prints the median.
/// </summary>
internal static class KMeansBench
{
    public static int Run(string[] args)
    {
        int n = int.Parse(args[0]), d = int.Parse(args[1]), k = int.Parse(args[2]), iters = int.Parse(args[3]), threads = int.Parse(args[4]);
        string dir = args[5];
        Directory.CreateDirectory(dir);
        var blobs = ClusterData.Blobs(n, k, d, std: 4, seed: 42);
        var rng = new Random(7);
        var init = new float[k * d];
        var picks = new HashSet<int>();
        for (int c = 0; c < k; c++)
        {
            int i; do i = rng.Next(n); while (!picks.Add(i));
            Array.Copy(blobs.Data, i * d, init, c * d, d);
        }
        var opts = new KMeansOptions { K = k, Init = KMeansInit.Given, InitialCentres = init, MaxIterations = iters, Tolerance = 0, Threads = threads };
        var inv = CultureInfo.InvariantCulture;
        var line = new List<string>();
        foreach (var (elkan, tag) in new[] { (false, ""), (true, "elkan_") })
        {
            var o = opts with { Elkan = elkan };
            KMeans.Fit(blobs.Data, n, d, o); // warm-up: one whole fit, so tiered compilation has finished (a 1-iteration warm-up left the first timed fits 20-60% slower)
            var times = new List<double>();
            KMeansResult r = null!;
            for (int rep = 0; rep < 5; rep++)
            {
                var sw = Stopwatch.StartNew();
                r = KMeans.Fit(blobs.Data, n, d, o);
                times.Add(sw.Elapsed.TotalSeconds);
            }
            times.Sort();
            line.Add(string.Create(inv, $"{tag}iterations={r.Iterations} {tag}time_s={times[2]:F4} {tag}inertia={r.Inertia:R}"));
        }
        // Written after the timings: the kernel's write-back of 64 MB of dirty pages competed with the first timed fits.
        File.WriteAllBytes(Path.Combine(dir, "data.f32"), MemoryMarshal.AsBytes(blobs.Data.AsSpan()).ToArray());
        File.WriteAllBytes(Path.Combine(dir, "init.f32"), MemoryMarshal.AsBytes(init.AsSpan()).ToArray());
        Console.WriteLine($"n={n} d={d} k={k} threads={threads} " + string.Join(" ", line));
        return 0;
    }
}
