using HpcLearn.Config;

namespace HpcLearn.Tasks.Text;

/// <summary>
/// The <c>steps:</c> section: a language model trains for a number of optimiser steps on
/// random blocks, not for epochs. The learning rate warms up linearly to <c>train.lr</c>, then
/// follows a cosine down to <see cref="MinLrRatio"/> × <c>train.lr</c>.
/// </summary>
public sealed record TextStepOptions : IValidatable
{
    /// <summary>Optimiser steps. Default 2000.</summary>
    public int Total { get; init; } = 2000;

    /// <summary>Steps of linear warm-up from zero to <c>train.lr</c>. Default 100.</summary>
    public int Warmup { get; init; } = 100;

    /// <summary>The final learning rate as a share of <c>train.lr</c>. Default 0.1.</summary>
    public double MinLrRatio { get; init; } = 0.1;

    /// <summary>Evaluate the validation loss every this many steps (and after the last). Default 250.</summary>
    public int EvalEvery { get; init; } = 250;

    /// <summary>Validation batches per evaluation: the same fixed blocks every time. Default 20.</summary>
    public int EvalBatches { get; init; } = 20;

    /// <summary>Write a checkpoint every this many steps (and after the last). Default 500.</summary>
    public int CheckpointEvery { get; init; } = 500;

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Total < 1) yield return ("total", "must be at least 1");
        if (Warmup < 0) yield return ("warmup", "must not be negative");
        if (MinLrRatio is < 0 or > 1) yield return ("min_lr_ratio", "must be in [0, 1]");
        if (EvalEvery < 1) yield return ("eval_every", "must be at least 1");
        if (EvalBatches < 1) yield return ("eval_batches", "must be at least 1");
        if (CheckpointEvery < 1) yield return ("checkpoint_every", "must be at least 1");
    }
}
