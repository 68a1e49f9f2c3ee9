using System.Runtime.InteropServices;

namespace HpcLearn.Tasks.Text;

/// <summary>
/// An interpolated Kneser–Ney n-gram count model (Chen &amp; Goodman 1998), the strongest classic
/// baseline beside the transformer. For a context h of k tokens, with h' = h without its oldest token:
/// <code>
/// P_k(w | h) = max(c_k(h,w) − D_k(c_k(h,w)), 0) / c_k(h·)  +  γ_k(h) · P_{k−1}(w | h')
/// γ_k(h)     = (D_k(1) N₁(h·) + D_k(2) N₂(h·) + D_k(3+) N₃₊(h·)) / c_k(h·)
/// P_{−1}(w)  = 1 / V
/// </code>
/// where c_k is the raw count for the longest context (k = n − 1) and, below it, the
/// continuation count N₁₊(·h w): the number of distinct tokens seen before h w. N_j(h·) counts the
/// tokens w with c_k(h,w) = j, and c_k(h·) = Σ_w c_k(h,w). A context never seen (or seen only at the
/// very start of the text, so with no continuation) leaves the lower order's estimate as it is.
/// The discounts per order are Chen &amp; Goodman's estimates from the count-of-counts (modified
/// Kneser–Ney) unless given; <see cref="KneserNeyDiscount.Single"/> for every order above the
/// unigram and 0 for the unigram is NLTK's <c>KneserNeyInterpolated</c> (tested against it).
/// Every P(· | h) sums to one over the V tokens.
/// </summary>
public sealed class KneserNeyModel
{
    private readonly Dictionary<long, int> _child = new();   // (context, token before it) → longer context
    private readonly Dictionary<long, int> _count = new();   // (context, w) → c_k(h, w)
    private readonly int[] _total, _n1, _n2, _n3;              // per context: c_k(h·), N₁, N₂, N₃₊
    private readonly KneserNeyDiscount[] _discounts;          // per context length k = 0..n−1

    /// <summary>Counts the n-grams of <paramref name="train"/> up to <paramref name="order"/> tokens.</summary>
    /// <param name="train">Token ids in [0, <paramref name="vocabSize"/>).</param>
    /// <param name="order">n: tokens per n-gram (the context is n − 1 tokens); at least 1.</param>
    /// <param name="vocabSize">V.</param>
    /// <param name="discounts">One per order, unigram first (null: modified Kneser–Ney's estimates).</param>
    public KneserNeyModel(IReadOnlyList<int> train, int order, int vocabSize, IReadOnlyList<KneserNeyDiscount>? discounts = null)
    {
        if (order < 1) throw new ArgumentOutOfRangeException(nameof(order), "must be at least 1");
        if (vocabSize < 1) throw new ArgumentOutOfRangeException(nameof(vocabSize), "must be at least 1");
        if (discounts is not null && discounts.Count != order) throw new ArgumentException($"needs {order} discounts, one per order", nameof(discounts));
        Order = order;
        VocabSize = vocabSize;

        // Contexts form a trie read from the newest token back, so a context's parent is h'.
        var parent = new List<int> { -1 };
        var depth = new List<int> { 0 };
        var raw = new Dictionary<long, int>();
        for (int i = 0; i < train.Count; i++)
        {
            int node = 0;
            for (int k = 0; k < order && k <= i; k++)
            {
                if (k > 0)
                {
                    ref int child = ref CollectionsMarshal.GetValueRefOrAddDefault(_child, Key(node, train[i - k]), out bool found);
                    if (!found)
                    {
                        child = parent.Count;
                        parent.Add(node);
                        depth.Add(k);
                    }
                    node = child;
                }
                CollectionsMarshal.GetValueRefOrAddDefault(raw, Key(node, train[i]), out _)++;
            }
        }
        // The count each order uses: raw counts for the longest context, continuation counts below.
        foreach (var (key, c) in raw)
        {
            int node = (int)(key >> 32), w = (int)key;
            if (depth[node] == order - 1) _count[key] = c;
            if (depth[node] >= 1) CollectionsMarshal.GetValueRefOrAddDefault(_count, Key(parent[node], w), out _)++;
        }
        int nodes = parent.Count;
        (_total, _n1, _n2, _n3) = (new int[nodes], new int[nodes], new int[nodes], new int[nodes]);
        var countOfCounts = new long[order, 5];   // [k, j]: n-grams of order k + 1 with count j (1..4)
        foreach (var (key, c) in _count)
        {
            int node = (int)(key >> 32);
            _total[node] += c;
            if (c == 1) _n1[node]++;
            else if (c == 2) _n2[node]++;
            else _n3[node]++;
            if (c <= 4) countOfCounts[depth[node], c]++;
        }
        _discounts = new KneserNeyDiscount[order];
        for (int k = 0; k < order; k++)
            _discounts[k] = discounts?[k] ?? KneserNeyDiscount.Estimate(countOfCounts[k, 1], countOfCounts[k, 2], countOfCounts[k, 3], countOfCounts[k, 4]);
    }

    /// <summary>n: tokens per n-gram.</summary>
    public int Order { get; }

    /// <summary>V.</summary>
    public int VocabSize { get; }

    /// <summary>The discounts in use, one per order (unigram first).</summary>
    public IReadOnlyList<KneserNeyDiscount> Discounts => _discounts;

    /// <summary>P(w = ids[i] | the up to n − 1 tokens before it in <paramref name="ids"/>).</summary>
    public double Probability(IReadOnlyList<int> ids, int i)
    {
        double p = 1.0 / VocabSize;
        int node = 0, w = ids[i];
        for (int k = 0; k < Order && k <= i; k++)
        {
            if (k > 0 && !_child.TryGetValue(Key(node, ids[i - k]), out node)) break;
            int total = _total[node];
            if (total == 0) break;
            var d = _discounts[k];
            int c = _count.GetValueOrDefault(Key(node, w));
            p = Math.Max(c - d.For(c), 0) / total + Gamma(node, d) * p;
        }
        return p;
    }

    /// <summary>
    /// P(w | the last up to n − 1 tokens of <paramref name="context"/>) for every w, into
    /// <paramref name="p"/> (length V): what sampling from the model, or mixing it, needs.
    /// </summary>
    public void Distribution(IReadOnlyList<int> context, Span<double> p)
    {
        if (p.Length != VocabSize) throw new ArgumentException($"needs {VocabSize} entries", nameof(p));
        p.Fill(1.0 / VocabSize);
        int node = 0, n = context.Count;
        for (int k = 0; k < Order && k <= n; k++)
        {
            if (k > 0 && !_child.TryGetValue(Key(node, context[n - k]), out node)) break;
            int total = _total[node];
            if (total == 0) break;
            var d = _discounts[k];
            double gamma = Gamma(node, d);
            for (int w = 0; w < p.Length; w++)
            {
                int c = _count.GetValueOrDefault(Key(node, w));
                p[w] = Math.Max(c - d.For(c), 0) / total + gamma * p[w];
            }
        }
    }

    /// <summary>P(ids[i] | ids before it) for every i: the whole text scored from its first token.</summary>
    public double[] Probabilities(IReadOnlyList<int> ids)
    {
        var p = new double[ids.Count];
        for (int i = 0; i < p.Length; i++) p[i] = Probability(ids, i);
        return p;
    }

    /// <summary>Mean −ln P over <paramref name="ids"/>: nats per token.</summary>
    public double NatsPerToken(IReadOnlyList<int> ids)
    {
        double sum = 0;
        for (int i = 0; i < ids.Count; i++) sum -= Math.Log(Probability(ids, i));
        return sum / ids.Count;
    }

    private double Gamma(int node, KneserNeyDiscount d) =>
        (d.D1 * _n1[node] + d.D2 * _n2[node] + d.D3Plus * _n3[node]) / _total[node];

    private static long Key(int node, int token) => ((long)node << 32) | (uint)token;
}
