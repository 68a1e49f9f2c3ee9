using HpcLearn.Cluster;

namespace HpcLearn.MpiProbe;

/// <summary>
/// All-reduce (sum, max; float, double), broadcast (float, double, bytes; from each root), all-gather,
/// barrier and chunked messages, each checked on every rank against the value it must have.
/// Rank 0 prints <c>ok NAME</c> per check; a wrong value throws.
/// </summary>
internal static class CollectivesMode
{
    public static int Run()
    {
        var cluster = ClusterEnvironment.Current();
        using var comm = Communicator.Create(cluster);
        int r = comm.Rank, n = comm.Size;
        if (r == 0) Console.WriteLine($"flavour={(comm as MpiCommunicator)?.Flavour} name={comm.Name} size={n}");

        // Rank r holds (r + 1) * (i + 1) at position i.
        var f = Enumerable.Range(0, 1000).Select(i => (float)((r + 1) * (i + 1))).ToArray();
        comm.AllReduceSum(f);
        Check("allreduce_sum_float", Enumerable.Range(0, 1000).All(i => f[i] == n * (n + 1) / 2 * (i + 1)), comm);

        var d = Enumerable.Range(0, 1000).Select(i => (r + 1) * (i + 0.5)).ToArray();
        comm.AllReduceSum(d);
        Check("allreduce_sum_double", Enumerable.Range(0, 1000).All(i => d[i] == n * (n + 1) / 2.0 * (i + 0.5)), comm);

        // Position i's maximum is on rank i mod n.
        var fm = Enumerable.Range(0, 64).Select(i => i % n == r ? 100f + i : -1f * r).ToArray();
        comm.AllReduceMax(fm);
        Check("allreduce_max_float", Enumerable.Range(0, 64).All(i => fm[i] == 100f + i), comm);

        var dm = Enumerable.Range(0, 64).Select(i => i % n == r ? 1e300 + i : -1e300).ToArray();
        comm.AllReduceMax(dm);
        Check("allreduce_max_double", Enumerable.Range(0, 64).All(i => dm[i] == 1e300 + i), comm);

        for (int root = 0; root < n; root++)
        {
            var bf = Enumerable.Range(0, 100).Select(i => r == root ? i * 0.25f + root : float.NaN).ToArray();
            comm.Broadcast(bf, root);
            Check($"broadcast_float_root{root}", Enumerable.Range(0, 100).All(i => bf[i] == i * 0.25f + root), comm);

            var bd = Enumerable.Range(0, 100).Select(i => r == root ? Math.PI * i + root : double.NaN).ToArray();
            comm.Broadcast(bd, root);
            Check($"broadcast_double_root{root}", Enumerable.Range(0, 100).All(i => bd[i] == Math.PI * i + root), comm);

            var bb = Enumerable.Range(0, 300).Select(i => r == root ? (byte)(i * 7 + root) : (byte)0).ToArray();
            comm.Broadcast(bb, root);
            Check($"broadcast_bytes_root{root}", Enumerable.Range(0, 300).All(i => bb[i] == (byte)(i * 7 + root)), comm);
        }

        // All-gather in place: rank k's segment has k + 2 elements, (k + 1) * 1000 + i; on entry
        // the other segments hold garbage (NaN), on return every segment is its rank's.
        var counts = Enumerable.Range(0, n).Select(k => k + 2).ToArray();
        int offset = counts.Take(r).Sum(), total = counts.Sum();
        bool Gathered(Func<int, double> at) => Enumerable.Range(0, n).All(k =>
            Enumerable.Range(0, k + 2).All(i => at(counts.Take(k).Sum() + i) == (k + 1) * 1000 + i));
        var gf = Enumerable.Repeat(float.NaN, total).ToArray();
        for (int i = 0; i < counts[r]; i++) gf[offset + i] = (r + 1) * 1000 + i;
        comm.AllGather(gf, counts);
        Check("allgather_float", Gathered(j => gf[j]), comm);
        var gd = Enumerable.Repeat(double.NaN, total).ToArray();
        for (int i = 0; i < counts[r]; i++) gd[offset + i] = (r + 1) * 1000 + i;
        comm.AllGather(gd, counts);
        Check("allgather_double", Gathered(j => gd[j]), comm);

        // Long spans go in chunks: force 7-element chunks over 100 elements (15 calls).
        if (comm is MpiCommunicator mpi)
        {
            mpi.ChunkElements = 7;
            var c = Enumerable.Range(0, 100).Select(i => (double)(i + r)).ToArray();
            mpi.AllReduceSum(c);
            var b = Enumerable.Range(0, 100).Select(i => r == 0 ? (float)i : 0f).ToArray();
            mpi.Broadcast(b, 0);
            mpi.ChunkElements = 1 << 28;
            Check("chunked", Enumerable.Range(0, 100).All(i => c[i] == n * i + n * (n - 1) / 2.0 && b[i] == i), comm);
        }

        // Barrier: nobody leaves before the slowest rank arrives.
        var sw = System.Diagnostics.Stopwatch.StartNew();
        if (r == n - 1) Thread.Sleep(300);
        comm.Barrier();
        Check("barrier", sw.ElapsedMilliseconds >= 250, comm);
        return 0;
    }

    // Every rank checks its own result; the all-reduced minimum says whether all were right.
    private static void Check(string name, bool ok, ICommunicator comm)
    {
        Span<double> bad = [ok ? 0 : 1];
        comm.AllReduceMax(bad);
        if (bad[0] != 0) throw new InvalidOperationException($"{name}: wrong result on {(ok ? "another rank" : $"rank {comm.Rank}")}");
        if (comm.Rank == 0) Console.WriteLine($"ok {name}");
    }
}
