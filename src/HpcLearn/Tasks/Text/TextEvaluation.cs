using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Text;

/// <summary>
/// The loss of a model over a whole token sequence, two ways:
/// <list type="bullet">
/// <item><b>full context</b> (<see cref="NatsPerToken"/>, the run's score): every token scored once, by
/// windows of the block size T moved T/8 at a time, each scoring only its tokens past the previous
/// window, so every token after the first block has at least 7/8 of a block of context (T − T/8 to
/// T − 1 tokens), as a count model's full history or a model used on running text has;</item>
/// <item><b>blocks</b> (<see cref="BlockNatsPerToken"/>, as nanoGPT reports its validation loss): the
/// mean over every position of consecutive blocks of T tokens, so a block's first token has no
/// context and its t-th has t − 1 tokens; higher, and what a model of a shorter block would score.</item>
/// </list>
/// </summary>
public static class TextEvaluation
{
    /// <summary>Mean −ln P(token | up to a block of context) over <paramref name="ids"/>[1..]: nats per token, full context.</summary>
    public static double NatsPerToken(TextTransformer model, IReadOnlyList<int> ids, int batchSize = 32) =>
        TargetNats(model, ids, batchSize).Average();

    /// <summary>−ln P(ids[j + 1] | up to a block of tokens before it) for each j: the full-context scores one by one.</summary>
    public static double[] TargetNats(TextTransformer model, IReadOnlyList<int> ids, int batchSize = 32)
    {
        int n = Targets(ids), T = Math.Min(model.BlockSize, n);
        int stride = Math.Max(1, T / 8);
        // Windows [s, s + T) of inputs; the last one ends exactly at the last input.
        var windows = new List<(int Start, int FirstScored)>();
        int scored = 0;                                    // targets 0..scored-1 are done
        for (int s = 0; scored < n; s = Math.Min(s + stride, n - T))
        {
            windows.Add((s, scored - s));
            scored = s + T;
        }
        var nats = new double[n];
        Score(model, ids, windows, T, batchSize, (j, v) => nats[j] = v);
        return nats;
    }

    /// <summary>
    /// Mean −ln P over every position of the consecutive blocks [0, T), [T, 2T), ... of
    /// <paramref name="ids"/> that have all T targets (a shorter tail is left out): nanoGPT's way.
    /// </summary>
    public static double BlockNatsPerToken(TextTransformer model, IReadOnlyList<int> ids, int batchSize = 32)
    {
        int n = Targets(ids), T = Math.Min(model.BlockSize, n);
        var windows = Enumerable.Range(0, n / T).Select(b => (b * T, 0)).ToList();
        double sum = 0;
        long count = 0;
        Score(model, ids, windows, T, batchSize, (_, v) => { sum += v; count++; });
        return sum / count;
    }

    private static int Targets(IReadOnlyList<int> ids)
    {
        int n = ids.Count - 1;                             // n targets: ids[1..]
        if (n < 1) throw new UserError("the text has fewer than 2 tokens; nothing to score");
        return n;
    }

    // Runs the windows (inputs ids[s..s+T), targets ids[s+1..s+T]) in batches and reports the
    // −ln P of each target from position FirstScored on, by target index.
    private static void Score(TextTransformer model, IReadOnlyList<int> ids, List<(int Start, int FirstScored)> windows, int T, int batchSize, Action<int, double> report)
    {
        model.eval();
        using var noGrad = no_grad();
        foreach (var chunk in windows.Chunk(batchSize))
        {
            using var scope = NewDisposeScope();
            int B = chunk.Length;
            var x = new long[B * T];
            var y = new long[B * T];
            for (int b = 0; b < B; b++)
                for (int t = 0; t < T; t++)
                {
                    x[b * T + t] = ids[chunk[b].Start + t];
                    y[b * T + t] = ids[chunk[b].Start + t + 1];
                }
            var logits = model.forward(tensor(x, dtype: ScalarType.Int64).view(B, T));                                  // (B, T, V)
            var losses = nn.functional.cross_entropy(logits.view(-1, model.VocabSize), tensor(y, dtype: ScalarType.Int64),
                reduction: nn.Reduction.None).data<float>().ToArray();                                                   // (B·T)
            for (int b = 0; b < B; b++)
                for (int t = Math.Max(0, chunk[b].FirstScored); t < T; t++) report(chunk[b].Start + t, losses[b * T + t]);
        }
    }
}
