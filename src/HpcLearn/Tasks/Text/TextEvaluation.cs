using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Text;

/// <summary>
/// The loss of a model over a whole token sequence, every token scored once, by sliding
/// windows of the block size moved half a block at a time: each window scores only its tokens
/// past the previous window, so every token but the first half-block's has at least half a
/// block of context (the fixed evaluation blocks during training give early positions less).
/// </summary>
public static class TextEvaluation
{
    /// <summary>Mean −ln P(token | context) over <paramref name="ids"/>: nats per token.</summary>
    public static double NatsPerToken(TextTransformer model, IReadOnlyList<int> ids, int batchSize = 32)
    {
        int T = model.BlockSize, n = ids.Count - 1;       // n targets: ids[1..]
        if (n < 1) throw new UserError("the text has fewer than 2 tokens; nothing to score");
        T = Math.Min(T, n);
        int stride = Math.Max(1, T / 2);
        // Windows [s, s + T) of inputs; the last one ends exactly at the last input.
        var windows = new List<(int Start, int FirstScored)>();
        int scored = 0;                                    // targets 0..scored-1 are done
        for (int s = 0; scored < n; s = Math.Min(s + stride, n - T))
        {
            windows.Add((s, scored - s));
            scored = s + T;
        }
        model.eval();
        using var noGrad = no_grad();
        double sum = 0;
        long count = 0;
        foreach (var chunk in windows.Chunk(batchSize))
        {
            using var scope = NewDisposeScope();
            int B = chunk.Length;
            var x = new long[B * T];
            var y = new long[B * T];
            var mask = new float[B * T];
            for (int b = 0; b < B; b++)
                for (int t = 0; t < T; t++)
                {
                    x[b * T + t] = ids[chunk[b].Start + t];
                    y[b * T + t] = ids[chunk[b].Start + t + 1];
                    if (t >= chunk[b].FirstScored) { mask[b * T + t] = 1; count++; }
                }
            var logits = model.forward(tensor(x, dtype: ScalarType.Int64).view(B, T));                                  // (B, T, V)
            var losses = nn.functional.cross_entropy(logits.view(-1, model.VocabSize), tensor(y, dtype: ScalarType.Int64),
                reduction: nn.Reduction.None);                                                                           // (B·T)
            sum += losses.mul(tensor(mask)).sum().ToDouble();
        }
        return sum / count;
    }
}
