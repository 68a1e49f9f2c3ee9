using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace HpcLearn.Tasks.Recommend;

/// <summary>
/// Biased matrix factorisation (Koren, Bell and Volinsky 2009; fastai's EmbeddingDotBias):
/// r̂(u, i) = low + (high − low) σ(p_u·q_i + b_u + b_i).
/// Inputs: [users (B) int64, items (B) int64]. Output: (B) predicted ratings.
/// Each user's row is [p_u | b_u] and each item's [q_i | b_i] in one table per side (F + 1 columns):
/// one lookup, one gradient scatter and one optimiser update per side instead of two, which is
/// most of a step's cost for this small model (docs/benchmarks.md, Recommend).
/// </summary>
public sealed class BiasedMf : Module<Tensor[], Tensor>, IRecommenderModel
{
    private readonly Embedding users, items;
    private readonly int _factors;
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
        _factors = factors;
        this.users = Embedding(users, factors + 1);
        this.items = Embedding(items, factors + 1);
        using (no_grad())
        {
            foreach (var table in new[] { this.users.weight!, this.items.weight! })
            {
                init.normal_(table.narrow(1, 0, factors), 0, 0.01);
                init.zeros_(table.narrow(1, factors, 1));
            }
        }
        _range = new RatingRange(low, high);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor[] inputs)
    {
        using var scope = NewDisposeScope();
        var p = users.forward(inputs[0]);                                // (B, F + 1): p_u, b_u
        var q = items.forward(inputs[1]);                                // (B, F + 1): q_i, b_i
        var x = p.mul(q).narrow(1, 0, _factors).sum(1)                  // p_u·q_i
            .add(p.select(1, _factors), One).add(q.select(1, _factors), One);   // + b_u + b_i, (B)
        if (training && _penalise)
        {
            // ‖p_u‖² + b_u² + ‖q_i‖² + b_i², the squares of everything looked up, (B)
            var squares = p.mul(p).sum(1).add(q.mul(q).sum(1), One);
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
    public Tensor ItemVectors() => items.weight!.detach().narrow(1, 0, _factors);
}
