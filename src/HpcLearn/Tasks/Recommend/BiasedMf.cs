using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace HpcLearn.Tasks.Recommend;

/// <summary>
/// Biased matrix factorisation (Koren, Bell and Volinsky 2009; fastai's EmbeddingDotBias):
/// r̂(u, i) = low + (high − low) σ(p_u·q_i + b_u + b_i).
/// Inputs: [users (B) int64, items (B) int64]. Output: (B) predicted ratings.
/// </summary>
public sealed class BiasedMf : Module<Tensor[], Tensor>, IRecommenderModel
{
    private readonly Embedding user_factors, item_factors, user_bias, item_bias;
    private readonly RatingRange _range;
    private readonly Scalar _l2;
    private readonly bool _penalise;
    private Tensor? _penalty;
    private static readonly Scalar One = 1.0;

    /// <summary>Creates the model with factors drawn from N(0, 0.01²) and zero biases (as fastai).</summary>
    /// <param name="users">Number of users.</param>
    /// <param name="items">Number of items.</param>
    /// <param name="factors">Embedding width F.</param>
    /// <param name="low">Lower end of the output range.</param>
    /// <param name="high">Upper end of the output range.</param>
    /// <param name="l2">λ of the per-rating L2 penalty on the looked-up embeddings and biases (0 = none).</param>
    public BiasedMf(int users, int items, int factors, double low, double high, double l2 = 0) : base(nameof(BiasedMf))
    {
        _l2 = l2;
        _penalise = l2 > 0;
        user_factors = Embedding(users, factors);
        item_factors = Embedding(items, factors);
        user_bias = Embedding(users, 1);
        item_bias = Embedding(items, 1);
        using (no_grad())
        {
            init.normal_(user_factors.weight!, 0, 0.01);
            init.normal_(item_factors.weight!, 0, 0.01);
            init.zeros_(user_bias.weight!);
            init.zeros_(item_bias.weight!);
        }
        _range = new RatingRange(low, high);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor[] inputs)
    {
        using var scope = NewDisposeScope();
        var u = inputs[0];                                               // (B)
        var i = inputs[1];                                               // (B)
        var p = user_factors.forward(u);                                 // (B, F)
        var q = item_factors.forward(i);                                 // (B, F)
        var bu = user_bias.forward(u).squeeze(1);                        // (B)
        var bi = item_bias.forward(i).squeeze(1);                        // (B)
        var x = p.mul(q).sum(1).add(bu, One).add(bi, One);               // p_u·q_i + b_u + b_i, (B)
        if (training && _penalise)
        {
            var squares = p.mul(p).sum(1).add(q.mul(q).sum(1), One).add(bu.mul(bu), One).add(bi.mul(bi), One); // (B)
            _penalty?.Dispose();
            _penalty = squares.mean().mul(_l2).MoveToOuterDisposeScope();
        }
        return _range.Squash(x).MoveToOuterDisposeScope();               // (B)
    }

    /// <inheritdoc />
    public Tensor? TakePenalty()
    {
        var p = _penalty;
        _penalty = null;
        return p;
    }

    /// <inheritdoc />
    public Tensor ItemVectors() => item_factors.weight!.detach();
}
