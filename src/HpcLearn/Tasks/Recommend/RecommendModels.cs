using static TorchSharp.torch;

namespace HpcLearn.Tasks.Recommend;

/// <summary>Builds the network a config or a model.json asks for.</summary>
public static class RecommendModels
{
    /// <summary>
    /// The model for <paramref name="users"/> × <paramref name="items"/> ratings in [min, max], or for
    /// implicit feedback the BPR factorisation (the range is then unused).
    /// </summary>
    public static nn.Module<Tensor[], Tensor> Create(RecommendModelOptions o, int users, int items, double min, double max,
        FeedbackKind feedback = FeedbackKind.Explicit)
    {
        if (feedback == FeedbackKind.Implicit) return new BprMf(users, items, o.Factors, o.L2For(feedback));
        double low = min - o.RangeMargin, high = max + o.RangeMargin;
        return o.Kind == RecommendModelKind.Neural
            ? new NeuralCf(users, items, o.Factors, o.Layers, o.Dropout, low, high, o.L2For(feedback))
            : new BiasedMf(users, items, o.Factors, low, high, o.L2For(feedback));
    }

    /// <summary>The parameters <see cref="Create"/> would build, computed without building it (in double: it cannot overflow).</summary>
    public static double CountParameters(RecommendModelOptions o, int users, int items, FeedbackKind feedback = FeedbackKind.Explicit)
    {
        double f = o.Factors;
        if (feedback == FeedbackKind.Implicit) return (users + (double)items) * f + items;   // BPR: P, Q and item biases
        if (o.Kind != RecommendModelKind.Neural) return (users + (double)items) * (f + 1);   // factors and a bias per row
        double count = (users + (double)items) * f, width = 2 * f;
        foreach (int layer in o.Layers.Append(1))
        {
            count += (width + 1) * layer;
            width = layer;
        }
        return count;
    }

    /// <summary>
    /// Mean squared error plus the model's L2 penalty of the batch when it has one (training mode):
    /// minimising Σ (r − r̂)² + λ Σ (‖p_u‖² + ‖q_i‖² + b_u² + b_i²) as in Funk's SVD.
    /// </summary>
    public static Training.LossFunction Loss(nn.Module<Tensor[], Tensor> model) => (o, t) =>
    {
        var mse = nn.functional.mse_loss(o, t);
        return model is IRecommenderModel m && m.TakePenalty() is { } penalty ? mse.add(penalty, One) : mse;
    };

    /// <summary>
    /// Bayesian personalised ranking: −mean log σ(x_uij) over the batch's (user, positive, negative)
    /// triples, plus the model's L2 penalty in training. The targets are unused (all ones).
    /// </summary>
    public static Training.LossFunction BprLoss(nn.Module<Tensor[], Tensor> model) => (x, _) =>
    {
        var bpr = nn.functional.logsigmoid(x).mean().neg();
        return model is IRecommenderModel m && m.TakePenalty() is { } penalty ? bpr.add(penalty, One) : bpr;
    };

    private static readonly TorchSharp.Scalar One = 1.0;
}
