using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Runtime.InteropServices;
using HpcLearn.Tasks.Clustering;

namespace HpcLearn.Bench;

/// <summary>
/// kmeans-fmnist IMAGES.gz K ITERS THREADS OUTDIR: the Fashion-MNIST training images (IDX, gzip;
/// 60,000 × 784 pixels scaled to [0, 1]) written to OUTDIR/data.f32, K starting centres (images drawn
/// with seed 7) to OUTDIR/init.f32; our k-means from them, ITERS iterations, tolerance 0, three times
/// with each kernel (GEMM through libtorch, our SIMD kernel, our SIMD kernel with Elkan's bounds).
/// The IDX header (magic, count, rows, columns: 16 bytes, big-endian) is read here directly.
/// </summary>
internal static class KMeansFmnistBench
{
    public static int Run(string[] args)
    {
        string images = args[0];
        int k = int.Parse(args[1]), iters = int.Parse(args[2]), threads = int.Parse(args[3]);
        string dir = args[4];
        Directory.CreateDirectory(dir);
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(File.OpenRead(images), CompressionMode.Decompress)) gz.CopyTo(ms);
        var raw = ms.ToArray();
        int BigEndian(int at) => (raw[at] << 24) | (raw[at + 1] << 16) | (raw[at + 2] << 8) | raw[at + 3];
        int n = BigEndian(4), d = BigEndian(8) * BigEndian(12);
        var x = new float[(long)n * d];
        for (long t = 0; t < x.Length; t++) x[t] = raw[16 + t] / 255f;
        var rng = new Random(7);
        var init = new float[k * d];
        var picks = new HashSet<int>();
        for (int c = 0; c < k; c++)
        {
            int i; do i = rng.Next(n); while (!picks.Add(i));
            Array.Copy(x, (long)i * d, init, c * d, d);
        }
        File.WriteAllBytes(Path.Combine(dir, "data.f32"), MemoryMarshal.AsBytes(x.AsSpan()).ToArray());
        File.WriteAllBytes(Path.Combine(dir, "init.f32"), MemoryMarshal.AsBytes(init.AsSpan()).ToArray());
        var opts = new KMeansOptions { K = k, Init = KMeansInit.Given, InitialCentres = init, MaxIterations = iters, Tolerance = 0, Threads = threads };
        var line = new List<string>();
        foreach (var (kernel, elkan, tag) in new[] { (KMeansKernel.Gemm, false, ""), (KMeansKernel.Simd, false, "simd_"), (KMeansKernel.Simd, true, "elkan_") })
        {
            var o = opts with { Kernel = kernel, Elkan = elkan };
            KMeans.Fit(x, n, d, o); // warm-up: one whole fit, so tiered compilation has finished (a 1-iteration warm-up left the first timed fits 20-60% slower)
            var times = new List<double>();
            KMeansResult r = null!;
            for (int rep = 0; rep < 5; rep++)
            {
                var sw = Stopwatch.StartNew();
                r = KMeans.Fit(x, n, d, o);
                times.Add(sw.Elapsed.TotalSeconds);
            }
            times.Sort();
            line.Add(string.Create(CultureInfo.InvariantCulture, $"{tag}iterations={r.Iterations} {tag}time_s={times[2]:F4} {tag}inertia={r.Inertia:R}"));
        }
        Console.WriteLine($"n={n} d={d} k={k} threads={threads} " + string.Join(" ", line));
        return 0;
    }
}
