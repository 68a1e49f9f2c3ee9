using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Recommend;

/// <summary>Runs a trained model on (user, item) pairs in batches, without gradients, in evaluation mode.</summary>
public sealed class ModelScorer
{
    private readonly nn.Module<Tensor[], Tensor> _model;
    private readonly Device _device;

    /// <summary>Scores with <paramref name="model"/> on <paramref name="device"/> (default CPU).</summary>
    public ModelScorer(nn.Module<Tensor[], Tensor> model, Device? device = null)
    {
        _model = model;
        _device = device ?? CPU;
    }

    /// <summary>The model's ratings of the pairs (all ids known), unclipped.</summary>
    public float[] Score(int[] users, int[] items)
    {
        const int batch = 1 << 16;
        var result = new float[users.Length];
        _model.eval();
        using var noGrad = no_grad();
        for (int start = 0; start < users.Length; start += batch)
        {
            using var scope = NewDisposeScope();
            int n = Math.Min(batch, users.Length - start);
            var u = tensor(users.AsSpan(start, n).ToArray().Select(x => (long)x).ToArray(), dtype: ScalarType.Int64, device: _device);
            var i = tensor(items.AsSpan(start, n).ToArray().Select(x => (long)x).ToArray(), dtype: ScalarType.Int64, device: _device);
            var y = _model.forward([u, i]).to_type(ScalarType.Float32).cpu();
            y.data<float>().CopyTo(result.AsSpan(start, n));
        }
        return result;
    }

    /// <summary>The model's scores of every item 0..items-1 for each user of <paramref name="users"/>: row r is users[r].</summary>
    public float[][] ScoreAllItems(IReadOnlyList<int> users, int items)
    {
        var rows = new float[users.Count][];
        int perChunk = Math.Max(1, (1 << 16) / items);
        for (int start = 0; start < users.Count; start += perChunk)
        {
            int n = Math.Min(perChunk, users.Count - start);
            var u = new int[n * items];
            var i = new int[n * items];
            for (int r = 0; r < n; r++)
                for (int j = 0; j < items; j++) { u[r * items + j] = users[start + r]; i[r * items + j] = j; }
            var s = Score(u, i);
            for (int r = 0; r < n; r++) rows[start + r] = s.AsSpan(r * items, items).ToArray();
        }
        return rows;
    }
}
