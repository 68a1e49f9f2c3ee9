using HpcLearn.Runs;

namespace HpcLearn.Training;

/// <summary>
/// The explicit order of the built-in callbacks. Gradient work (all-reduce, then clipping)
/// precedes the step; guards see a batch before anything logs it; checkpoints are written
/// before early stopping can end the run.
/// </summary>
public static class CallbackOrder
{
    /// <summary>Gradient all-reduce across data-parallel ranks.</summary>
    public const int GradientReduce = 10;
    /// <summary>Gradient clipping (after the all-reduce, so every rank clips the same gradient).</summary>
    public const int GradientClip = 20;
    /// <summary>NaN / divergence guard.</summary>
    public const int DivergenceGuard = 30;
    /// <summary>User callbacks without an order.</summary>
    public const int Default = 50;
    /// <summary>Metrics log (CSV, TensorBoard).</summary>
    public const int MetricsLog = 60;
    /// <summary>Checkpoints.</summary>
    public const int Checkpoint = 70;
    /// <summary>Early stopping.</summary>
    public const int EarlyStopping = 80;
    /// <summary>Keeping the best validation epoch's weights (after the checkpoint has saved the last epoch's).</summary>
    public const int KeepBestWeights = 85;
    /// <summary>Progress display (last, so it shows what the others decided).</summary>
    public const int Progress = 90;
}
