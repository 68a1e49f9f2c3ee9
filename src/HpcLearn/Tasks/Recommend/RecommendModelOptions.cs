using HpcLearn.Config;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Tasks.Recommend;

/// <summary>The <c>model:</c> section of a recommend config.</summary>
public sealed record RecommendModelOptions : IValidatable
{
    /// <summary>dot (biased matrix factorisation) or neural (embeddings into an MLP). Default dot.</summary>
    public RecommendModelKind Kind { get; init; } = RecommendModelKind.Dot;

    /// <summary>Embedding width of users and items. Default 50 (fastai's collab default).</summary>
    public int Factors { get; init; } = 50;

    /// <summary>Hidden layer widths of the neural model. Default [100].</summary>
    public List<int> Layers { get; init; } = [100];

    /// <summary>Dropout after each hidden layer of the neural model. Default 0.1.</summary>
    public double Dropout { get; init; } = 0.1;

    /// <summary>
    /// λ of the per-rating L2 penalty on the embeddings (and biases) of each training pair, added
    /// to the MSE loss as in Funk's SVD; it regularises frequent users and items more, which the
    /// optimiser's weight decay (uniform over all rows) does not. Default: 0.05 for ratings (the best
    /// of 0.02, 0.05 and 0.1 on the built-in MovieLens-100k-shaped data; Surprise's SVD uses 0.02),
    /// 0.01 for implicit feedback's BPR (NDCG@10 0.267 against 0.219 with 0.05 on the built-in data).
    /// </summary>
    public double? L2 { get; init; }

    /// <summary>The L2 penalty in use: <see cref="L2"/>, or the default of the feedback kind.</summary>
    public double L2For(FeedbackKind feedback) => L2 ?? (feedback == FeedbackKind.Implicit ? 0.01 : 0.1);

    /// <summary>
    /// The output is σ(x) scaled to [min − margin, max + margin], so the extreme ratings are
    /// reachable without infinite logits (fastai uses (0, 5.5) for 1-5 stars). Default 0.5.
    /// Predictions are then clipped to [min, max].
    /// </summary>
    public double RangeMargin { get; init; } = 0.5;

    /// <summary>
    /// Implicit feedback (BPR): negative items sampled per positive interaction, uniformly among the
    /// items the user has not interacted with in training. Default 1 (Rendle et al. 2009).
    /// </summary>
    public int Negatives { get; init; } = 1;

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Factors is < 1 or > ArchitectureCheck.MaxWidth) yield return ("factors", $"must be from 1 to {ArchitectureCheck.MaxWidth:N0}");
        if (Layers.Count == 0 || Layers.Any(l => l < 1)) yield return ("layers", "must list at least one positive width, e.g. [100]");
        else if (Layers.Count > ArchitectureCheck.MaxDepth || Layers.Any(l => l > ArchitectureCheck.MaxWidth))
            yield return ("layers", $"must list at most {ArchitectureCheck.MaxDepth:N0} widths of at most {ArchitectureCheck.MaxWidth:N0}");
        if (Dropout is < 0 or >= 1) yield return ("dropout", "must be in [0, 1)");
        if (L2 < 0) yield return ("l2", "must not be negative");
        if (Negatives < 1) yield return ("negatives", "must be at least 1");
        if (RangeMargin < 0) yield return ("range_margin", "must not be negative");
    }
}
