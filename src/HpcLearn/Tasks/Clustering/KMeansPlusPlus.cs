namespace HpcLearn.Tasks.Clustering;

/// <summary>
/// k-means++ seeding as scikit-learn's <c>_kmeans_plusplus</c>: the first centre uniformly, each next
/// one sampled in proportion to the squared distance to the nearest chosen centre; the greedy
/// variant draws 2 + ⌊ln k⌋ candidates and keeps the one that lowers the potential most.
/// The draw goes through the fixed blocks of <see cref="PointBlocks"/>: r = u · Σ_b S_b (block sums
/// S_b added in block order), the block is the first whose running total exceeds r, and the point
/// the first in it whose running sum (from the block's start) exceeds r minus the blocks before.
/// On several ranks each rank owns whole blocks (<see cref="PointShard"/>), the block sums and the
/// candidates' potentials travel by all-reduce, and the owner of the chosen block names the point:
/// the same centres as one process, bit for bit, with the same random numbers drawn on every rank.
/// </summary>
internal static class KMeansPlusPlus
{
    public static float[] Choose(float[] x, int n, int d, int k, bool greedy, Random rng, int threads, PointShard? shard = null)
    {
        shard ??= new PointShard(n, null);
        var centres = new float[k * d];
        int trials = greedy ? 2 + (int)Math.Log(k) : 1, nb = shard.Blocks.Count;
        int first = rng.Next(n);
        Array.Copy(x, first * d, centres, 0, d);
        var closest = new double[n];
        var part = new double[nb][];
        for (int b = 0; b < nb; b++) part[b] = new double[trials];
        shard.ForEach(threads, (b, s, e) =>
        {
            double acc = 0;
            for (int i = s; i < e; i++) { closest[i] = SqDist(x, i, x, first, d); acc += closest[i]; }
            part[b][0] = acc;
        });
        var blockSum = (double[])shard.AllBlocks(trials, b => part[b]).Clone();
        int stride = trials, column = 0;
        var cand = new double[trials];
        var candDist = new double[trials][];
        for (int t = 0; t < trials; t++) candDist[t] = new double[n];
        for (int c = 1; c < k; c++)
        {
            double run = 0;
            for (int b = 0; b < nb; b++) run += blockSum[b * stride + column];
            Array.Clear(cand);
            for (int t = 0; t < trials; t++) cand[t] = Draw(closest, shard, blockSum, stride, column, rng.NextDouble() * run);
            shard.AllReduceSum(cand); // each candidate named by the rank that owns its block, 0 elsewhere
            shard.ForEach(threads, (b, s, e) =>
            {
                for (int t = 0; t < trials; t++)
                {
                    int ct = (int)cand[t];
                    double acc = 0;
                    for (int i = s; i < e; i++) { double v = Math.Min(closest[i], SqDist(x, i, x, ct, d)); candDist[t][i] = v; acc += v; }
                    part[b][t] = acc;
                }
            });
            var all = shard.AllBlocks(trials, b => part[b]);
            int best = 0; double bestPot = double.PositiveInfinity;
            for (int t = 0; t < trials; t++)
            {
                double p = 0;
                for (int b = 0; b < nb; b++) p += all[b * trials + t];
                if (p < bestPot) { bestPot = p; best = t; }
            }
            Array.Copy(x, (int)cand[best] * d, centres, c * d, d);
            (closest, candDist[best]) = (candDist[best], closest);
            blockSum = (double[])all.Clone();
            column = best;
        }
        return centres;
    }

    /// <summary>
    /// The point whose running sum of <paramref name="closest"/> first exceeds <paramref name="r"/> (so
    /// never a point at distance 0) when this rank owns its block; 0 otherwise. Where rounding leaves
    /// no running sum above r, the last point at a positive distance of the last block with one.
    /// </summary>
    private static double Draw(double[] closest, PointShard shard, double[] blockSum, int stride, int column, double r)
    {
        int nb = shard.Blocks.Count, block = -1;
        double before = 0, at = 0;
        for (int b = 0; b < nb; b++)
        {
            double next = at + blockSum[b * stride + column];
            if (next > r) { block = b; before = at; break; }
            at = next;
        }
        bool none = block < 0;
        if (none)
        {
            block = nb - 1;
            while (block > 0 && !(blockSum[block * stride + column] > 0)) block--;
        }
        if (block < shard.FirstBlock || block >= shard.EndBlock) return 0;
        var (s, e) = shard.Blocks[block];
        double target = none ? double.PositiveInfinity : r - before, sum = 0;
        int last = s;
        for (int i = s; i < e; i++)
        {
            if (closest[i] > 0) last = i;
            sum += closest[i];
            if (sum > target) return i;
        }
        return last;
    }

    internal static double SqDist(float[] a, int i, float[] b, int j, int d)
    {
        double s = 0;
        for (int t = 0; t < d; t++) { double v = (double)a[i * d + t] - b[j * d + t]; s += v * v; }
        return s;
    }
}
