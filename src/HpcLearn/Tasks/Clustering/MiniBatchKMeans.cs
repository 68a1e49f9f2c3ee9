using HpcLearn.Cluster;

namespace HpcLearn.Tasks.Clustering;

/// <summary>
/// Mini-batch k-means (Sculley, 2010) with scikit-learn's per-centre learning rate: after each
/// batch, a centre c that received the batch points B_c moves to
/// (n_c·c + Σ_{x∈B_c} x) / (n_c + |B_c|), n_c counting every point it has received so far.
/// The data come as a stream of chunks (read again for each epoch), so they need not fit in
/// memory: only one chunk and the centres do. A first pass draws a uniform sample of init_size rows
/// for greedy k-means++ seeding; points are shuffled within each chunk.
/// scikit-learn's random reassignment of rarely chosen centres and its early stopping are left out:
/// a fixed number of epochs is run.
/// On several ranks every rank reads the same stream and draws the same batches (same seed); each
/// assigns its contiguous part of every batch, the labels are all-reduced, and every rank then makes
/// the same update: the centres are those of one process, bit for bit. The seeding sample is small
/// and seeded alike on every rank; the last pass splits each chunk in fixed blocks of rows.
/// </summary>
public static class MiniBatchKMeans
{
    private const string Who = "mini-batch k-means";

    /// <summary>Fits points held in memory (n × d row-major), as one chunk; with <paramref name="comm"/>, on every rank of it (each passing all the points).</summary>
    public static MiniBatchKMeansResult Fit(float[] data, int n, int d, MiniBatchKMeansOptions options, ICommunicator? comm = null)
    {
        DataChecks.Shape(Who, data, n, d);
        return FitStream(() => [data], d, options, comm);
    }

    /// <summary>
    /// Fits a stream of chunks: <paramref name="openChunks"/> is called once per epoch, and once
    /// more before (the seeding sample) and after (the final inertia), and yields row-major arrays of whole rows of <paramref name="d"/> columns.
    /// </summary>
    /// <param name="openChunks">Opens the stream; under MPI every rank's stream yields the same chunks.</param>
    /// <param name="d">Number of columns.</param>
    /// <param name="options">The options; the same on every rank.</param>
    /// <param name="comm">With several ranks, each assigns its part of every batch (see the class summary). Default: one process.</param>
    /// <exception cref="UserError">Empty data, NaN or infinity, fewer distinct points than k in the seeding sample, or bad options.</exception>
    public static MiniBatchKMeansResult FitStream(Func<IEnumerable<float[]>> openChunks, int d, MiniBatchKMeansOptions options, ICommunicator? comm = null)
    {
        ArgumentNullException.ThrowIfNull(openChunks);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (d < 1) throw new UserError($"{Who}: the number of columns must be at least 1 (got {d})");
        int k = options.K;
        var rng = new Random(options.Seed);
        var (centres, rows, sample) = Seed(openChunks, d, options, rng);
        var counts = new double[k];
        var sums = new double[k * d];
        var got = new int[k];
        // The uniform seeding sample is the first mini-batch: every centre starts with a count from
        // data spread like the whole set, so a file sorted by cluster cannot drag it far in its first chunks.
        Update(sample, sample.Length / d, d, centres, counts, sums, got, comm);
        long batches = 1;
        bool stopped = false;
        int epoch = 0;
        for (; epoch < options.Epochs && !stopped; epoch++)
        {
            foreach (var chunk in openChunks())
            {
                if (stopped) break;
                if (chunk.Length % d != 0) throw new UserError($"{Who}: a chunk of {chunk.Length} values is not whole rows of {d} columns");
                int m = chunk.Length / d;
                if (m == 0) continue;
                var order = Enumerable.Range(0, m).ToArray();
                rng.Shuffle(order);
                var batch = new float[Math.Min(options.BatchSize, m) * d];
                for (int b0 = 0; b0 < m; b0 += options.BatchSize)
                {
                    int size = Math.Min(options.BatchSize, m - b0);
                    for (int t = 0; t < size; t++) Array.Copy(chunk, order[b0 + t] * d, batch, t * d, d);
                    Update(batch, size, d, centres, counts, sums, got, comm);
                    batches++;
                }
                stopped = options.Stop is not null && PointShard.AnyRank(comm, options.Stop());
            }
        }
        double inertia = 0;
        var packed = new PackedCentres(centres, k, d);
        foreach (var chunk in openChunks())
        {
            int m = chunk.Length / d;
            if (m == 0) continue;
            var shard = new PointShard(m, comm);
            var labels = new int[m];
            var part = new double[shard.Blocks.Count];
            shard.ForEach(1, (b, s, e) =>
            {
                KMeans.Assign(chunk, d, packed, s, e, labels, new float[e]);
                for (int i = s; i < e; i++) part[b] += KMeansPlusPlus.SqDist(chunk, i, centres, labels[i], d);
            });
            inertia += shard.Sum(1, b => part.AsSpan(b, 1))[0];
        }
        return new MiniBatchKMeansResult(centres, inertia, rows, batches) { Stopped = stopped, Epochs = epoch };
    }

    /// <summary>
    /// A first pass over the stream: counts the rows, checks for NaN, and keeps a uniform sample of
    /// init_size rows (reservoir sampling, so a file sorted by cluster still seeds well); greedy
    /// k-means++ then seeds from the sample n_init times, keeping the seeds of lowest inertia on it.
    /// </summary>
    private static (float[] Centres, long Rows, float[] Sample) Seed(Func<IEnumerable<float[]>> openChunks, int d, MiniBatchKMeansOptions o, Random rng)
    {
        int size = Math.Max(o.K, o.InitSize > 0 ? o.InitSize : 3 * o.BatchSize);
        var sample = new float[(long)size * d];
        long rows = 0;
        foreach (var chunk in openChunks())
        {
            if (chunk.Length % d != 0) throw new UserError($"{Who}: a chunk of {chunk.Length} values is not whole rows of {d} columns");
            int m = chunk.Length / d;
            if (m == 0) continue;
            DataChecks.MeanVarianceOrThrow(Who, chunk, m, d);
            for (int i = 0; i < m; i++, rows++)
            {
                long slot = rows < size ? rows : rng.NextInt64(rows + 1);
                if (slot < size) Array.Copy(chunk, (long)i * d, sample, slot * d, d);
            }
        }
        if (rows == 0) throw new UserError($"{Who}: the data is empty (no points)");
        int have = (int)Math.Min(rows, size);
        if (have < size) sample = sample[..(have * d)];
        int distinct = DataChecks.DistinctRows(sample, have, d, o.K);
        if (distinct < o.K)
            throw new UserError($"{Who}: k = {o.K} is larger than the number of distinct points ({distinct}) in the {have}-row sample it seeds from; lower k");
        float[]? best = null;
        double bestInertia = double.PositiveInfinity;
        for (int r = 0; r < o.NInit; r++)
        {
            var c = KMeansPlusPlus.Choose(sample, have, d, o.K, greedy: true, rng, threads: 1);
            var labels = KMeans.Predict(sample, have, d, c);
            double inertia = 0;
            for (int i = 0; i < have; i++) inertia += KMeansPlusPlus.SqDist(sample, i, c, labels[i], d);
            if (inertia < bestInertia) (best, bestInertia) = (c, inertia);
        }
        return (best!, rows, sample);
    }

    /// <summary>One mini-batch step: assign to the current centres, then move each centre by its own learning rate 1 / (points received so far).</summary>
    private static void Update(float[] batch, int size, int d, float[] centres, double[] counts, double[] sums, int[] got, ICommunicator? comm)
    {
        int k = got.Length;
        var labels = new int[size];
        var (lo, hi) = PointShard.Even(size, comm);
        KMeans.Assign(batch, d, new PackedCentres(centres, k, d), lo, hi, labels, new float[size]);
        PointShard.GatherRows(comm, labels, lo, hi);
        Array.Clear(sums); Array.Clear(got);
        for (int i = 0; i < size; i++)
        {
            int c = labels[i];
            got[c]++;
            for (int j = 0; j < d; j++) sums[c * d + j] += batch[i * d + j];
        }
        for (int c = 0; c < k; c++)
        {
            if (got[c] == 0) continue;
            double before = counts[c], after = before + got[c];
            for (int j = 0; j < d; j++)
                centres[c * d + j] = (float)((centres[c * d + j] * before + sums[c * d + j]) / after);
            counts[c] = after;
        }
    }
}
