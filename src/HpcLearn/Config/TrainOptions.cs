namespace HpcLearn.Config;

/// <summary>Optimiser choice.</summary>
public enum OptimizerKind
{
    /// <summary>Adam with decoupled weight decay (config value <c>adamw</c>).</summary>
    [ConfigName("adamw")]
    AdamW,
    /// <summary>Adam (weight decay added to the gradient).</summary>
    Adam,
    /// <summary>SGD with momentum 0.9.</summary>
    Sgd,
}

/// <summary>Learning-rate schedule.</summary>
public enum ScheduleKind
{
    /// <summary>One-cycle: warm up to <see cref="TrainOptions.LearningRate"/>, then cosine-anneal to near zero.</summary>
    OneCycle,
    /// <summary>A constant learning rate.</summary>
    Constant,
}

/// <summary>
/// The <c>train:</c> section: how to optimise. Defaults suit small tabular models on a laptop.
/// </summary>
public sealed record TrainOptions : IValidatable
{
    /// <summary>Passes over the training data. Default 20.</summary>
    public int Epochs { get; init; } = 20;

    /// <summary>Examples per optimiser step (per process under MPI). Default 64.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Peak learning rate. Default 0.003.</summary>
    /// <remarks>In a config file: <c>train.lr</c>.</remarks>
    [ConfigName("lr")]
    public double LearningRate { get; init; } = 3e-3;

    /// <summary>Optimiser. Default adamw.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.AdamW;

    /// <summary>Weight decay. Default 0.01.</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Learning-rate schedule. Default one_cycle.</summary>
    public ScheduleKind Schedule { get; init; } = ScheduleKind.OneCycle;

    /// <summary>Clip the global gradient norm to this value; 0 turns clipping off. Default 0.</summary>
    public double GradClip { get; init; }

    /// <summary>Stop when the validation loss has not improved for this many epochs; 0 = off. Default 0.</summary>
    public int EarlyStoppingPatience { get; init; }

    /// <summary>Write a checkpoint every this many epochs. Default 1.</summary>
    public int CheckpointEvery { get; init; } = 1;

    /// <summary>How many checkpoints to keep (oldest removed first). Default 3.</summary>
    public int KeepCheckpoints { get; init; } = 3;

    /// <summary>
    /// Fit a temperature on the validation split and apply it in predict (classification).
    /// null (default) means yes for classifiers; true for a regression task is an error.
    /// </summary>
    public bool? Calibrate { get; init; }

    /// <summary>
    /// Wall-time budget of this attempt's training, written as Slurm times: minutes (<c>30</c>),
    /// <c>HH:MM:SS</c> or <c>D-HH:MM:SS</c>. When it is used up the run stops as at a deadline: a
    /// checkpoint, exit code 3, and <c>--resume</c> goes on (with a new budget). Default: none.
    /// </summary>
    public string? MaxTime { get; init; }

    /// <summary>The budget <see cref="MaxTime"/> says, or null for none.</summary>
    public TimeSpan? MaxTimeSpan => WallTime.Parse(MaxTime);

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Epochs < 1) yield return ("epochs", "must be at least 1");
        if (BatchSize < 1) yield return ("batch_size", "must be at least 1");
        if (!(LearningRate > 0)) yield return ("lr", "must be positive");
        if (WeightDecay < 0) yield return ("weight_decay", "must not be negative");
        if (GradClip < 0) yield return ("grad_clip", "must not be negative (0 turns clipping off)");
        if (EarlyStoppingPatience < 0) yield return ("early_stopping_patience", "must not be negative");
        if (CheckpointEvery < 1) yield return ("checkpoint_every", "must be at least 1");
        if (KeepCheckpoints < 1) yield return ("keep_checkpoints", "must be at least 1");
        if (MaxTime is not null && !(MaxTimeSpan > TimeSpan.Zero))
            yield return ("max_time", $"'{MaxTime}' is not a time budget; use {WallTime.Formats}, more than 0 (leave it out for no budget)");
    }
}
