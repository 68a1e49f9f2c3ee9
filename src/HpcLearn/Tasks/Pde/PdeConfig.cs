using HpcLearn.Config;

namespace HpcLearn.Tasks.Pde;

/// <summary>A PDE run's config: the shared keys plus <c>pde</c> (equation, points, optimiser phases) and <c>model</c> (network).</summary>
public sealed record PdeConfig : RunConfig
{
    /// <summary>Creates a config with the task set to <c>pde</c>.</summary>
    public PdeConfig() => Task = PdeTask.Name;

    /// <summary>The equation, its points and the optimiser phases.</summary>
    public PdeOptions Pde { get; init; } = new();

    /// <summary>The network u_θ.</summary>
    public PinnModelOptions Model { get; init; } = new();

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
