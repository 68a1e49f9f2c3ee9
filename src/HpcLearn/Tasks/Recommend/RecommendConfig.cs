using HpcLearn.Config;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Tasks.Recommend;

/// <summary>
/// A recommend run's config: the shared keys plus <c>data</c>, <c>model</c> and <c>eval</c>.
/// The training defaults are fastai's collaborative-filtering ones scaled to a larger batch:
/// AdamW, one-cycle, weight decay 0.01, with the per-rating L2 penalty of the model doing most of the regularising.
/// It reads every <c>train:</c> key but <c>calibrate</c> (a rating or a ranking has no classes to calibrate).
/// </summary>
public sealed record RecommendConfig : RunConfig, IValidatable, IUnreadKeys
{
    private static readonly Dictionary<string, string> Unread = new()
    {
        ["train.calibrate"] = "is not used by the recommend task, which predicts ratings or rankings, not classes; remove it",
    };

    /// <summary>Creates a config with the task set to <c>recommend</c> and collaborative-filtering training defaults.</summary>
    public RecommendConfig()
    {
        Task = RecommendTask.Name;
        Train = new TrainOptions { Epochs = 10, BatchSize = 256, LearningRate = 5e-3, WeightDecay = 0.01 };
    }

    /// <summary>Ratings, split, titles.</summary>
    public RecommendDataOptions Data { get; init; } = new();

    /// <summary>The network.</summary>
    public RecommendModelOptions Model { get; init; } = new();

    /// <summary>Top-k evaluation.</summary>
    public RecommendEvalOptions Eval { get; init; } = new();

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> UnreadKeys => Unread;

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Data.Feedback == FeedbackKind.Implicit && Model.Kind != RecommendModelKind.Dot)
            yield return ("model.kind", "must be dot with data.feedback: implicit (BPR trains the dot-product factorisation); remove model.kind or set it to dot");
    }
}
