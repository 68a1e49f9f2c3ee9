using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Text;

/// <summary>
/// Samples a continuation token by token. The model's next-token logits are divided by the
/// temperature, cut to the top k, turned into probabilities, and one token is drawn with a
/// seeded <see cref="Random"/>, so the same seed gives the same text.
/// With the cache, a prompt is run once and each new token costs one position's work; when the
/// context reaches the block size, the cache restarts from the last half block (a model with
/// learned positions cannot slide its window), so the work stays linear in the length.
/// Without it, each token re-runs the last block of context (what the cache saves).
/// With a count mixture, each draw is from λ P_transformer + (1 − λ) P_count (the count model
/// reading the whole history), temperature and top-k applied to the mixture.
/// </summary>
public sealed class TextSampler(TextTransformer model, TextTokenizer tokenizer, TextCountMixture? mixture = null)
{
    /// <summary>The token ids sampled after <paramref name="prompt"/>, lazily, one at a time.</summary>
    public IEnumerable<int> Sample(IReadOnlyList<int> prompt, SamplingOptions options)
    {
        options.Check();
        var random = new Random(options.Seed ?? Random.Shared.Next());
        var history = prompt.Count > 0 ? prompt.ToList() : [tokenizer.StartId];
        int T = model.BlockSize;
        model.eval();
        using var cache = options.UseCache ? model.NewCache() : null;
        float[] logits = cache is null ? Full(history, T) : Prefill(cache, history, T);
        for (int i = 0; i < options.Tokens; i++)
        {
            if (mixture is not null) logits = mixture.Mix(logits, history);
            int next = Draw(logits, options.Temperature, options.TopK, random);
            yield return next;
            history.Add(next);
            if (i == options.Tokens - 1) break;
            if (cache is null) logits = Full(history, T);
            else if (cache.Length >= T) logits = Prefill(cache, history, Math.Max(1, T / 2));
            else logits = Step(cache, next);
        }
    }

    // Logits after the last `keep` tokens of the history, from an emptied cache.
    private float[] Prefill(KvCache cache, List<int> history, int keep)
    {
        cache.Clear();
        return Last(history.Skip(Math.Max(0, history.Count - keep)).ToList(), ids => model.Forward(ids, cache));
    }

    private float[] Step(KvCache cache, int token) => Last([token], ids => model.Forward(ids, cache));

    private float[] Full(List<int> history, int blockSize) =>
        Last(history.Skip(Math.Max(0, history.Count - blockSize)).ToList(), model.forward);

    private static float[] Last(List<int> ids, Func<Tensor, Tensor> run)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = tensor(ids.Select(i => (long)i).ToArray(), dtype: ScalarType.Int64).view(1, ids.Count);   // (1, t)
        var logits = run(x);                                                                                // (1, t, V)
        return logits[0, ids.Count - 1].data<float>().ToArray();                                          // (V)
    }

    /// <summary>
    /// One draw from softmax(logits / temperature) restricted to the <paramref name="topK"/>
    /// largest logits (ties at the k-th value kept); temperature 0 takes the largest.
    /// </summary>
    public static int Draw(float[] logits, double temperature, int topK, Random random)
    {
        int best = 0;
        for (int i = 1; i < logits.Length; i++) if (logits[i] > logits[best]) best = i;
        if (temperature == 0) return best;
        double threshold = double.NegativeInfinity;
        if (topK > 0 && topK < logits.Length)
            threshold = logits.OrderByDescending(l => l).ElementAt(topK - 1);
        var p = new double[logits.Length];
        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            p[i] = logits[i] < threshold ? 0 : Math.Exp((logits[i] - logits[best]) / temperature);
            sum += p[i];
        }
        double u = random.NextDouble() * sum;
        for (int i = 0; i < p.Length; i++)
        {
            u -= p[i];
            if (u < 0 && p[i] > 0) return i;
        }
        return best;   // rounding left u just above zero
    }
}
