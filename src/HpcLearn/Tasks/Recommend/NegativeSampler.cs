using HpcLearn.Data;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Recommend;

/// <summary>
/// Negative items for BPR: for user u, an item drawn uniformly from those not in u's excluded set
/// (the items u interacted with). Each draw takes exactly one random number and maps it to the
/// r-th free item by a binary search over u's sorted excluded items, so there is no rejection loop
/// and a batch's negatives are a pure function of (seed, epoch, batch): a resumed run draws what the
/// uninterrupted run drew.
/// </summary>
public sealed class NegativeSampler
{
    private readonly int[][] _excluded;

    /// <summary>Creates the sampler over items 0..<paramref name="items"/>-1.</summary>
    /// <param name="excluded">Each user's items that are never drawn, by dense user id.</param>
    /// <param name="items">Number of items.</param>
    /// <param name="perPositive">Negatives drawn per positive pair.</param>
    public NegativeSampler(IReadOnlyList<IEnumerable<int>> excluded, int items, int perPositive)
    {
        _excluded = excluded.Select(e => e.Distinct().Order().ToArray()).ToArray();
        if (_excluded.Any(e => e.Length > 0 && (e[0] < 0 || e[^1] >= items))) throw new ArgumentOutOfRangeException(nameof(excluded), "item id out of range");
        Items = items;
        PerPositive = perPositive;
    }

    /// <summary>Number of items.</summary>
    public int Items { get; }

    /// <summary>Negatives per positive.</summary>
    public int PerPositive { get; }

    /// <summary>Whether user <paramref name="u"/> has at least one item to draw (has not interacted with every item).</summary>
    public bool HasNegatives(int u) => _excluded[u].Length < Items;

    /// <summary>An item drawn uniformly from those <paramref name="u"/> has not interacted with.</summary>
    /// <exception cref="InvalidOperationException">The user has interacted with every item.</exception>
    public int Draw(int u, Random rng)
    {
        int free = Items - _excluded[u].Length;
        if (free <= 0) throw new InvalidOperationException($"user {u} has interacted with every item: there is no negative to draw");
        return NthFree(u, rng.Next(free));
    }

    /// <summary>The <paramref name="r"/>-th (0-based, in id order) item not excluded for user <paramref name="u"/>.</summary>
    public int NthFree(int u, int r)
    {
        var s = _excluded[u];
        if (r < 0 || r >= Items - s.Length) throw new ArgumentOutOfRangeException(nameof(r));
        // The r-th free item is r + (excluded items below it); s[k] − k (free items below s[k]) never
        // decreases, so the count is the first k with s[k] − k > r.
        int lo = 0, hi = s.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (s[mid] - mid > r) hi = mid; else lo = mid + 1;
        }
        return r + lo;
    }

    /// <summary>
    /// The loader transform that appends the negatives (B, N) int64 to a batch [users (B), items (B)],
    /// drawn with <see cref="BatchSeed"/> of (<paramref name="seed"/>, epoch, batch index).
    /// </summary>
    public Func<Batch, int, int, Batch> Transform(int seed) => (batch, epoch, index) =>
    {
        var rng = new Random(BatchSeed.Of(seed, epoch, index));
        var users = batch.Inputs[0].data<long>().ToArray();
        var negatives = new long[users.Length * PerPositive];
        for (int b = 0; b < users.Length; b++)
            for (int n = 0; n < PerPositive; n++) negatives[b * PerPositive + n] = Draw((int)users[b], rng);
        // The new batch takes over the old one's tensors, so the old one is not disposed.
        return new Batch([.. batch.Inputs, tensor(negatives, [users.Length, PerPositive], ScalarType.Int64)], batch.Target);
    };
}
