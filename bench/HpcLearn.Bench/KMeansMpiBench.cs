using System.Diagnostics;
using System.Globalization;
using HpcLearn.Cluster;
using HpcLearn.Tasks.Clustering;

namespace HpcLearn.Bench;

/// <summary>
/// kmeans-mpi N D K ITERS, alone or under <c>mpirun -np P</c>, one thread per rank: every rank makes
/// the blobs of <see cref="KMeansBench"/> (seed 42, std 4) and the same K starting points (seed 7),
/// then runs k-means from them with tolerance 0 for ITERS iterations, the rows split over the
/// ranks, three times after a one-iteration warm-up, each timed between barriers; then one epoch of
/// mini-batch k-means (batch 1024, seeding included). Rank 0 prints the medians and the inertias
/// (which must not depend on the rank count), and the time of one bare all-reduce of a Lloyd
/// iteration's per-block buffer.
/// </summary>
internal static class KMeansMpiBench
{
    public static int Run(string[] args)
    {
        int n = int.Parse(args[0]), d = int.Parse(args[1]), k = int.Parse(args[2]), iters = int.Parse(args[3]);
        using var comm = Communicator.Create(ClusterEnvironment.Current());
        var blobs = ClusterData.Blobs(n, k, d, std: 4, seed: 42);
        var rng = new Random(7);
        var init = new float[k * d];
        var picks = new HashSet<int>();
        for (int c = 0; c < k; c++)
        {
            int i; do i = rng.Next(n); while (!picks.Add(i));
            Array.Copy(blobs.Data, i * d, init, c * d, d);
        }
        var opts = new KMeansOptions { K = k, Init = KMeansInit.Given, InitialCentres = init, MaxIterations = iters, Tolerance = 0, Threads = 1 };
        KMeans.Fit(blobs.Data, n, d, opts with { MaxIterations = 1 }, comm); // JIT warm-up
        var lloyd = new List<double>();
        KMeansResult r = null!;
        for (int rep = 0; rep < 3; rep++)
            lloyd.Add(Timed(comm, () => r = KMeans.Fit(blobs.Data, n, d, opts, comm)));
        var mbo = new MiniBatchKMeansOptions { K = k, BatchSize = 1024, Epochs = 1, NInit = 1, Seed = 3 };
        MiniBatchKMeansResult m = null!;
        var mini = new List<double>();
        for (int rep = 0; rep < 3; rep++)
            mini.Add(Timed(comm, () => m = MiniBatchKMeans.Fit(blobs.Data, n, d, mbo, comm)));
        // For scale: one bare all-reduce of a Lloyd iteration's per-block buffer, the ranks in step.
        int blockRows = Math.Max(2048, (n + 255) / 256), blocks = (n + blockRows - 1) / blockRows; // as PointBlocks.For(n)
        var buffer = new double[blocks * (k * d + k + 1)];
        double bare = Timed(comm, () => { for (int i = 0; i < 100; i++) comm.AllReduceSum(buffer); }) * 1000 / 100;
        if (comm.Rank == 0)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ranks={comm.Size} n={n} d={d} k={k} iterations={r.Iterations} time_s={lloyd.Order().ElementAt(1):F4} inertia={r.Inertia:R} minibatch_s={mini.Order().ElementAt(1):F4} minibatch_inertia={m.Inertia:R} bare_allreduce_ms={bare:F3} allreduce_kb={buffer.Length * 8 / 1024}"));
        return 0;
    }

    private static double Timed(ICommunicator comm, Action body)
    {
        comm.Barrier();
        var sw = Stopwatch.StartNew();
        body();
        comm.Barrier(); // done when the slowest rank is
        return sw.Elapsed.TotalSeconds;
    }
}
