using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using HpcLearn.Tasks.Clustering;

namespace HpcLearn.Bench;

/// <summary>
/// dbscan N EPS MIN_SAMPLES THREADS OUTDIR: 2-D data, 90% Gaussian blobs (10 centres in [-10, 10]²,
/// std 0.5, seed 42) and 10% uniform noise over [-12, 12]² (seed 43), written to OUTDIR/data.f32.
/// Our DBSCAN (grid index) three times; prints the median time, clusters and noise, and writes the
/// labels to OUTDIR/labels.i32 for the peer to compare.
/// </summary>
internal static class DbscanBench
{
    public static int Run(string[] args)
    {
        int n = int.Parse(args[0]);
        double eps = double.Parse(args[1], CultureInfo.InvariantCulture);
        int minSamples = int.Parse(args[2]), threads = int.Parse(args[3]);
        string dir = args[4];
        Directory.CreateDirectory(dir);
        int nb = n * 9 / 10;
        var blobs = ClusterData.Blobs(nb, 10, 2, std: 0.5, seed: 42);
        var rng = new Random(43);
        var x = blobs.Data.Concat(Enumerable.Range(0, (n - nb) * 2).Select(_ => (float)(rng.NextDouble() * 24 - 12))).ToArray();
        File.WriteAllBytes(Path.Combine(dir, "data.f32"), MemoryMarshal.AsBytes(x.AsSpan()).ToArray());
        var opts = new DbscanOptions { Eps = eps, MinSamples = minSamples, Threads = threads };
        Dbscan.Fit(x[..2000], 1000, 2, opts); // JIT warm-up
        var times = new List<double>();
        DbscanResult r = null!;
        for (int rep = 0; rep < 3; rep++)
        {
            var sw = Stopwatch.StartNew();
            r = Dbscan.Fit(x, n, 2, opts);
            times.Add(sw.Elapsed.TotalSeconds);
        }
        times.Sort();
        File.WriteAllBytes(Path.Combine(dir, "labels.i32"), MemoryMarshal.AsBytes(r.Labels.AsSpan()).ToArray());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"n={n} eps={eps} min_samples={minSamples} threads={threads} time_s={times[1]:F4} clusters={r.Clusters} noise={r.Noise} core={r.IsCore.Count(c => c)} index={r.Index.Replace(' ', '-')}"));
        return 0;
    }
}
