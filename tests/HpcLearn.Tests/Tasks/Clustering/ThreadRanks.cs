using HpcLearn.Cluster;

namespace HpcLearn.Tests.Tasks.Clustering;

/// <summary>
/// An in-process job of several ranks, one thread each, whose collectives really combine the ranks'
/// data (sums added in rank order, as MPI does for two ranks): tests of the distributed k-means run
/// here without mpirun. A rank that waits more than a minute for the others fails.
/// </summary>
internal static class ThreadRanks
{
    /// <summary>Runs <paramref name="body"/> on <paramref name="size"/> ranks at once; returns each rank's result, or throws the first rank's exception.</summary>
    public static T[] Run<T>(int size, Func<ICommunicator, T> body)
    {
        var job = new Job(size);
        var results = new T[size];
        var errors = new Exception?[size];
        var threads = Enumerable.Range(0, size).Select(r => new Thread(() =>
        {
            try { results[r] = body(new Member(job, r)); }
            catch (Exception e) { errors[r] = e; }
        }, 16 << 20)).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        if (errors.FirstOrDefault(e => e is not null) is { } first) throw first;
        return results;
    }

    private sealed class Job(int size)
    {
        public readonly Barrier Barrier = new(size);
        public readonly object?[] Slots = new object?[size];
        public int Size => size;

        public void Wait()
        {
            if (!Barrier.SignalAndWait(TimeSpan.FromMinutes(1))) throw new TimeoutException("a rank waited a minute for the others in a collective");
        }
    }

    private sealed class Member(Job job, int rank) : ICommunicator
    {
        public int Rank => rank;
        public int Size => job.Size;
        public string Name => "threads";

        public void AllReduceSum(Span<float> data) => Reduce(data, (a, b) => a + b);
        public void AllReduceSum(Span<double> data) => Reduce(data, (a, b) => a + b);
        public void AllReduceMax(Span<float> data) => Reduce(data, MathF.Max);
        public void AllReduceMax(Span<double> data) => Reduce(data, Math.Max);
        public void Broadcast(Span<float> data, int root) => Share(data, root);
        public void Broadcast(Span<double> data, int root) => Share(data, root);
        public void Broadcast(Span<byte> data, int root) => Share(data, root);
        public void Barrier() { job.Wait(); }
        public void Dispose() { }

        private void Reduce<T>(Span<T> data, Func<T, T, T> op)
        {
            job.Slots[rank] = data.ToArray();
            job.Wait();
            var acc = ((T[])job.Slots[0]!).ToArray();
            for (int r = 1; r < job.Size; r++)
            {
                var other = (T[])job.Slots[r]!;
                if (other.Length != acc.Length) throw new InvalidOperationException($"rank {r} reduced {other.Length} values, rank 0 {acc.Length}");
                for (int i = 0; i < acc.Length; i++) acc[i] = op(acc[i], other[i]);
            }
            job.Wait();
            acc.CopyTo(data);
        }

        private void Share<T>(Span<T> data, int root)
        {
            if (rank == root) job.Slots[root] = data.ToArray();
            job.Wait();
            ((T[])job.Slots[root]!).CopyTo(data);
            job.Wait();
        }
    }
}
