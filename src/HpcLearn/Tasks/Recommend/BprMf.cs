using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace HpcLearn.Tasks.Recommend;

/// <summary>
/// Matrix factorisation for implicit feedback, trained with Bayesian personalised ranking
/// (Rendle et al. 2009): the score s(u, i) = p_u·q_i + b_i ranks items for a user (a user bias
/// would not change any user's ranking, so there is none). Inputs [users (B), items (B)] give the
/// scores (B); inputs [users (B), positives (B), negatives (B, N)] give the differences
/// x_uij = s(u, i) − s(u, j) (B, N), which <see cref="RecommendModels.BprLoss"/> turns into
/// −mean log σ(x_uij).
/// </summary>
public sealed class BprMf : Module<Tensor[], Tensor>, IRecommenderModel
{
    private readonly Embedding user_factors, item_factors, item_bias;
    private readonly Scalar _l2;
    private readonly bool _penalise;
    private Tensor? _penalty;
    private static readonly Scalar One = 1.0;

    /// <summary>Creates the model with factors drawn from N(0, 0.1²) and zero item biases.</summary>
    /// <param name="users">Number of users.</param>
    /// <param name="items">Number of items.</param>
    /// <param name="factors">Embedding width F.</param>
    /// <param name="l2">λ of the per-triple L2 penalty on p_u, q_i, q_j, b_i and b_j (0 = none).</param>
    public BprMf(int users, int items, int factors, double l2 = 0) : base(nameof(BprMf))
    {
        _l2 = l2;
        _penalise = l2 > 0;
        user_factors = Embedding(users, factors);
        item_factors = Embedding(items, factors);
        item_bias = Embedding(items, 1);
        using (no_grad())
        {
            init.normal_(user_factors.weight!, 0, 0.1);
            init.normal_(item_factors.weight!, 0, 0.1);
            init.zeros_(item_bias.weight!);
        }
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor[] inputs)
    {
        using var scope = NewDisposeScope();
        var p = user_factors.forward(inputs[0]);                         // (B, F)
        var qi = item_factors.forward(inputs[1]);                        // (B, F)
        var bi = item_bias.forward(inputs[1]).squeeze(1);                // (B)
        var si = p.mul(qi).sum(1).add(bi, One);                          // s(u, i), (B)
        if (inputs.Length == 2) return si.MoveToOuterDisposeScope();

        var qj = item_factors.forward(inputs[2]);                        // (B, N, F)
        var bj = item_bias.forward(inputs[2]).squeeze(2);                // (B, N)
        var sj = qj.mul(p.unsqueeze(1)).sum(2).add(bj, One);             // s(u, j), (B, N)
        var x = si.unsqueeze(1).sub(sj);                                 // x_uij, (B, N)
        if (training && _penalise)
        {
            // Rendle's λ‖Θ‖² per triple (u, i, j), averaged over the B·N triples of the batch.
            var positive = p.mul(p).sum(1).add(qi.mul(qi).sum(1), One).add(bi.mul(bi), One);  // (B)
            var negative = qj.mul(qj).sum(2).add(bj.mul(bj), One);                            // (B, N)
            _penalty?.Dispose();
            _penalty = positive.mean().add(negative.mean(), One).mul(_l2).MoveToOuterDisposeScope();
        }
        return x.MoveToOuterDisposeScope();
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

    /// <summary>The learned item biases b_i (I), detached: the score of an item for a user with a zero vector.</summary>
    public Tensor ItemBiases() => item_bias.weight!.detach().squeeze(1);
}
