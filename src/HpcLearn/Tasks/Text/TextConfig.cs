using HpcLearn.Config;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Tasks.Text;

/// <summary>
/// A text run's config: the shared keys plus <c>data</c>, <c>model</c> and <c>steps</c>.
/// From <c>train:</c> the text task reads batch_size, lr, optimizer, weight_decay, grad_clip,
/// keep_checkpoints and max_time; its defaults here suit a small language model (batch 32, lr 1e-3,
/// weight decay 0.1, gradient clipping at 1). The epoch-based keys have no meaning for it and are refused.
/// </summary>
public sealed record TextConfig : RunConfig, IUnreadKeys
{
    private const string Why = "is not used by the text task, which trains for steps.total steps on random blocks";

    private static readonly Dictionary<string, string> Unread = new()
    {
        ["train.epochs"] = $"{Why}; set steps.total instead",
        ["train.schedule"] = $"{Why} with a warm-up and cosine schedule; set steps.warmup and steps.min_lr_ratio instead",
        ["train.checkpoint_every"] = $"{Why}; set steps.checkpoint_every instead",
        ["train.early_stopping_patience"] = $"{Why}; remove it",
        ["train.calibrate"] = $"{Why}; remove it",
    };

    /// <summary>Creates a config with the task set to <c>text</c> and language-model training defaults.</summary>
    public TextConfig()
    {
        Task = TextTask.Name;
        Train = new TrainOptions { BatchSize = 32, LearningRate = 1e-3, WeightDecay = 0.1, GradClip = 1.0 };
    }

    /// <summary>Which text, which tokens, which split.</summary>
    public TextDataOptions Data { get; init; } = new();

    /// <summary>The transformer.</summary>
    public TextModelOptions Model { get; init; } = new();

    /// <summary>How long to train, the schedule, evaluation and checkpoints.</summary>
    public TextStepOptions Steps { get; init; } = new();

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> UnreadKeys => Unread;
}
