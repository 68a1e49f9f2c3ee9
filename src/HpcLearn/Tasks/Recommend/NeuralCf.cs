using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace HpcLearn.Tasks.Recommend;

/// <summary>
/// Neural collaborative filtering (fastai's EmbeddingNN): the user and item embeddings are
/// concatenated and an MLP maps them to a logit, squashed into the rating range.
/// Inputs: [users (B) int64, items (B) int64]. Output: (B) predicted ratings.
/// </summary>
public sealed class NeuralCf : Module<Tensor[], Tensor>, IRecommenderModel
{
    private readonly Embedding user_embedding, item_embedding;
    private readonly Sequential mlp;
    private readonly RatingRange _range;
    private readonly Scalar _l2;
    private readonly bool _penalise;
    private Tensor? _penalty;
    private static readonly Scalar One = 1.0;

    /// <summary>Creates the network: embeddings of width <paramref name="factors"/>, then <paramref name="layers"/>.</summary>
    /// <param name="users">Number of users.</param>
    /// <param name="items">Number of items.</param>
    /// <param name="factors">Embedding width F.</param>
    /// <param name="layers">Hidden widths.</param>
    /// <param name="dropout">Dropout after each hidden layer.</param>
    /// <param name="low">Lower end of the output range.</param>
    /// <param name="high">Upper end of the output range.</param>
    /// <param name="l2">λ of the per-rating L2 penalty on the looked-up embeddings (0 = none).</param>
    public NeuralCf(int users, int items, int factors, IReadOnlyList<int> layers, double dropout, double low, double high, double l2 = 0) : base(nameof(NeuralCf))
    {
        _l2 = l2;
        _penalise = l2 > 0;
        user_embedding = Embedding(users, factors);
        item_embedding = Embedding(items, factors);
        using (no_grad())
        {
            init.normal_(user_embedding.weight!, 0, 0.01);
            init.normal_(item_embedding.weight!, 0, 0.01);
        }
        var seq = new List<(string, Module<Tensor, Tensor>)>();
        long width = 2L * factors;
        for (int k = 0; k < layers.Count; k++)
        {
            seq.Add(($"linear{k}", Linear(width, layers[k])));
            seq.Add(($"relu{k}", ReLU()));
            if (dropout > 0) seq.Add(($"dropout{k}", Dropout(dropout)));
            width = layers[k];
        }
        seq.Add(("out", Linear(width, 1)));
        mlp = Sequential(seq);
        _range = new RatingRange(low, high);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor[] inputs)
    {
        using var scope = NewDisposeScope();
        var p = user_embedding.forward(inputs[0]);                     // (B, F)
        var q = item_embedding.forward(inputs[1]);                     // (B, F)
        var logit = mlp.forward(cat([p, q], 1)).squeeze(1);            // (B, 2F) → (B)
        if (training && _penalise)
        {
            _penalty?.Dispose();
            _penalty = p.mul(p).sum(1).add(q.mul(q).sum(1), One).mean().mul(_l2).MoveToOuterDisposeScope();
        }
        return _range.Squash(logit).MoveToOuterDisposeScope();         // (B)
    }

    /// <inheritdoc />
    public Tensor? TakePenalty()
    {
        var p = _penalty;
        _penalty = null;
        return p;
    }

    /// <inheritdoc />
    public Tensor ItemVectors() => item_embedding.weight!.detach();
}
