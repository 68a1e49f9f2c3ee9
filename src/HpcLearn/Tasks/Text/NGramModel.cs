namespace HpcLearn.Tasks.Text;

/// <summary>
/// A count-based n-gram language model with interpolated Witten–Bell smoothing, the baseline
/// beside the transformer. With c(h) the count of context h, c(h,w) of h followed by w, and
/// T(h) the number of distinct tokens seen after h:
/// <code>
/// P_n(w | h) = (c(h,w) + T(h) · P_{n-1}(w | h')) / (c(h) + T(h)),  h' = h without its oldest token
/// P_0(w)     = 1 / V
/// </code>
/// and P_n(w | h) = P_{n-1}(w | h') for a context never seen. Order 1 is the smoothed unigram
/// model; order 4 conditions on the 3 previous tokens. No tuning, and a proper distribution.
/// </summary>
public sealed class NGramModel
{
    private readonly Dictionary<(int, int, int, int), int> _gram = new();
    private readonly Dictionary<(int, int, int), (int Count, int Types)> _context = new();

    /// <summary>Counts the n-grams of <paramref name="train"/> up to <paramref name="order"/> (1 to 4).</summary>
    public NGramModel(IReadOnlyList<int> train, int order, int vocabSize)
    {
        if (order is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(order), "must be 1 to 4");
        Order = order;
        VocabSize = vocabSize;
        for (int i = 0; i < train.Count; i++)
            for (int k = 1; k <= order && k <= i + 1; k++)
            {
                var h = Context(train, i, k - 1);
                var key = (h.Item1, h.Item2, h.Item3, train[i]);
                int c = _gram.GetValueOrDefault(key);
                _gram[key] = c + 1;
                var s = _context.GetValueOrDefault(h);
                _context[h] = (s.Count + 1, s.Types + (c == 0 ? 1 : 0));
            }
    }

    /// <summary>n: tokens per n-gram (the context is n − 1 tokens).</summary>
    public int Order { get; }

    /// <summary>V.</summary>
    public int VocabSize { get; }

    /// <summary>P(w = ids[i] | the up to n − 1 tokens before it in <paramref name="ids"/>).</summary>
    public double Probability(IReadOnlyList<int> ids, int i)
    {
        double p = 1.0 / VocabSize;
        for (int k = 1; k <= Order && k <= i + 1; k++)
        {
            var h = Context(ids, i, k - 1);
            if (!_context.TryGetValue(h, out var s)) break;   // longer contexts are unseen too
            int c = _gram.GetValueOrDefault((h.Item1, h.Item2, h.Item3, ids[i]));
            p = (c + s.Types * p) / (s.Count + s.Types);
        }
        return p;
    }

    /// <summary>Mean −ln P over <paramref name="ids"/>: nats per token.</summary>
    public double NatsPerToken(IReadOnlyList<int> ids)
    {
        double sum = 0;
        for (int i = 0; i < ids.Count; i++) sum -= Math.Log(Probability(ids, i));
        return sum / ids.Count;
    }

    // The `length` tokens before position i, padded on the left with -1 (so lengths never collide).
    private static (int, int, int) Context(IReadOnlyList<int> ids, int i, int length) => length switch
    {
        0 => (-1, -1, -1),
        1 => (-1, -1, ids[i - 1]),
        2 => (-1, ids[i - 2], ids[i - 1]),
        _ => (ids[i - 3], ids[i - 2], ids[i - 1]),
    };
}
