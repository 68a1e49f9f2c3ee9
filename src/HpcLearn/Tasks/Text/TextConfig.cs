using HpcLearn.Config;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Tasks.Text;

/// <summary>
/// A text run's config: the shared keys plus <c>data</c>, <c>model</c> and <c>steps</c>.
/// From <c>train:</c> the text task reads batch_size, lr, optimizer, weight_decay, grad_clip and
/// keep_checkpoints; its defaults here suit a small language model (batch 32, lr 1e-3, weight
/// decay 0.1, gradient clipping at 1). The epoch-based keys have no meaning for it and are refused.
/// </summary>
public sealed record TextConfig : RunConfig, IValidatable
{
    private static readonly TrainOptions EpochDefaults = new();

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
    public IEnumerable<(string Key, string Message)> Validate()
    {
        const string why = "is not used by the text task, which trains for steps.total steps on random blocks";
        if (Train.Epochs != EpochDefaults.Epochs) yield return ("train.epochs", $"{why}; set steps.total instead");
        if (Train.Schedule != EpochDefaults.Schedule) yield return ("train.schedule", $"{why} with a warm-up and cosine schedule; set steps.warmup and steps.min_lr_ratio instead");
        if (Train.CheckpointEvery != EpochDefaults.CheckpointEvery) yield return ("train.checkpoint_every", $"{why}; set steps.checkpoint_every instead");
        if (Train.EarlyStoppingPatience != 0) yield return ("train.early_stopping_patience", $"{why}; remove it");
        if (Train.Calibrate is not null) yield return ("train.calibrate", $"{why}; remove it");
    }
}
