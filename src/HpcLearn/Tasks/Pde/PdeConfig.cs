using HpcLearn.Config;

namespace HpcLearn.Tasks.Pde;

/// <summary>
/// A PDE run's config: the shared keys plus <c>pde</c> (equation, points, optimiser phases) and
/// <c>model</c> (network). From <c>train:</c> it reads keep_checkpoints and max_time only: the
/// optimiser phases have their own keys under <c>pde:</c>, and the others are refused.
/// </summary>
public sealed record PdeConfig : RunConfig, IUnreadKeys, IValidatable
{
    private const string Why = "is not used by the pde task, which trains with Adam then L-BFGS on all its points at every step";

    private static readonly Dictionary<string, string> Unread = new()
    {
        ["train.epochs"] = $"{Why}; set pde.adam_iterations and pde.lbfgs_iterations instead",
        ["train.batch_size"] = $"{Why}; set pde.collocation_points and pde.boundary_points instead",
        ["train.lr"] = $"{Why}; set pde.adam_learning_rate instead",
        ["train.optimizer"] = $"{Why}; set pde.adam_iterations and pde.lbfgs_iterations instead",
        ["train.weight_decay"] = $"{Why}; remove it",
        ["train.schedule"] = $"{Why}; remove it",
        ["train.grad_clip"] = $"{Why}; remove it",
        ["train.early_stopping_patience"] = $"{Why}; set pde.lbfgs_tolerance_change instead",
        ["train.checkpoint_every"] = $"{Why}; set pde.checkpoint_every instead",
        ["train.calibrate"] = $"{Why}; remove it",
    };

    /// <summary>Creates a config with the task set to <c>pde</c>.</summary>
    public PdeConfig() => Task = PdeTask.Name;

    /// <summary>The equation, its points and the optimiser phases.</summary>
    public PdeOptions Pde { get; init; } = new();

    /// <summary>The network u_θ.</summary>
    public PinnModelOptions Model { get; init; } = new();

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> UnreadKeys => Unread;

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        // The solver makes its tensors on the CPU: another device would be silently ignored.
        if (!string.Equals(Device.Trim(), "cpu", StringComparison.OrdinalIgnoreCase))
            yield return ("device", $"is '{Device}', but the pde task runs on the CPU only; set device: cpu");
    }

    /// <summary>The solver's settings.</summary>
    public PinnOptions ToPinnOptions() => new()
    {
        Layers = [2, .. Model.Layers, 1],
        Activation = Model.Activation,
        Float64 = Model.Float64,
        CollocationPoints = Pde.CollocationPoints,
        AdamIterations = Pde.AdamIterations,
        AdamLearningRate = Pde.AdamLearningRate,
        LbfgsIterations = Pde.LbfgsIterations,
        LbfgsToleranceChange = Pde.LbfgsToleranceChange,
        HardConstraints = Pde.HardConstraints,
        RefineRounds = Pde.RefineRounds,
        RefinePoints = Pde.RefinePoints,
        RefineCandidates = Pde.RefineCandidates,
        RefineIterations = Pde.RefineIterations,
        Seed = Seed,
    };

    /// <summary>The built-in problem the config names.</summary>
    public PdeProblem Problem() => PdeProblems.Create(Pde.Equation, Pde.Nu, Pde.Diffusivity, Pde.BoundaryPoints, Seed);
}
