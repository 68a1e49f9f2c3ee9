using System.Globalization;

namespace HpcLearn.Tasks.Pde;

/// <summary>
/// Settings of <see cref="PinnSolver"/>: the network, the collocation points and the two optimiser
/// phases (Adam, then L-BFGS). Defaults are Raissi et al.'s Burgers set-up. Checked by <see cref="Validate"/>.
/// </summary>
public sealed record PinnOptions
{
    /// <summary>Layer widths, inputs (2) first, output (1) last. Default 2 → 8 × 20 → 1.</summary>
    public IReadOnlyList<int> Layers { get; init; } = PinnModel.DefaultSizes;
    /// <summary>Hidden activation: tanh (default) or sin.</summary>
    public string Activation { get; init; } = "tanh";
    /// <summary>Collocation points, Latin hypercube in the domain. Default 10,000.</summary>
    public int CollocationPoints { get; init; } = 10_000;
    /// <summary>Adam iterations (full batch). Default 2000.</summary>
    public int AdamIterations { get; init; } = 2000;
    /// <summary>Adam learning rate. Default 1e-3.</summary>
    public double AdamLearningRate { get; init; } = 1e-3;
    /// <summary>L-BFGS iterations after Adam. Default 5000.</summary>
    public int LbfgsIterations { get; init; } = 5000;
    /// <summary>L-BFGS stops when the step or the loss change is below this (PyTorch's tolerance_change). Default 1e-9.</summary>
    public double LbfgsToleranceChange { get; init; } = 1e-9;
    /// <summary>Refinement rounds after L-BFGS: each adds <see cref="RefinePoints"/> collocation points where the residual is largest, then runs L-BFGS again. Default 0 (none).</summary>
    public int RefineRounds { get; init; }
    /// <summary>Collocation points added per refinement round. Default 1000.</summary>
    public int RefinePoints { get; init; } = 1000;
    /// <summary>Latin-hypercube candidates scored per refinement round. Default 100,000.</summary>
    public int RefineCandidates { get; init; } = 100_000;
    /// <summary>L-BFGS iterations after each refinement round. Default 2000.</summary>
    public int RefineIterations { get; init; } = 2000;
    /// <summary>Build the problem's conditions into the output (<see cref="PdeProblem.Hard"/>) instead of the loss. Default false.</summary>
    public bool HardConstraints { get; init; }
    /// <summary>Float64 parameters and points (else float32). Default false.</summary>
    public bool Float64 { get; init; }
    /// <summary>Seed of the points and the initial weights. Default 1234.</summary>
    public int Seed { get; init; } = 1234;

    /// <summary>Throws a <see cref="UserError"/> naming the first bad setting (config keys under <c>pde.</c> and <c>model.</c>).</summary>
    public void Validate(PdeDomain domain)
    {
        var inv = CultureInfo.InvariantCulture;
        if (CollocationPoints < 1)
            throw new UserError($"pde.collocation_points must be at least 1 (got {CollocationPoints}): the PDE residual needs points inside the domain");
        if (AdamIterations < 0) throw new UserError($"pde.adam_iterations must be at least 0 (got {AdamIterations})");
        if (LbfgsIterations < 0) throw new UserError($"pde.lbfgs_iterations must be at least 0 (got {LbfgsIterations})");
        if (RefineRounds < 0) throw new UserError($"pde.refine_rounds must be at least 0 (got {RefineRounds})");
        if (RefineRounds > 0 && RefinePoints < 1) throw new UserError($"pde.refine_points must be at least 1 when pde.refine_rounds is set (got {RefinePoints})");
        if (RefineRounds > 0 && RefineCandidates < RefinePoints)
            throw new UserError($"pde.refine_candidates ({RefineCandidates}) must be at least pde.refine_points ({RefinePoints}): the added points are the worst of the candidates");
        if (RefineRounds > 0 && RefineIterations < 1) throw new UserError($"pde.refine_iterations must be at least 1 when pde.refine_rounds is set (got {RefineIterations})");
        if (!(AdamLearningRate > 0)) throw new UserError(string.Create(inv, $"pde.adam_learning_rate must be positive (got {AdamLearningRate})"));
        if (!(LbfgsToleranceChange >= 0)) throw new UserError(string.Create(inv, $"pde.lbfgs_tolerance_change must be at least 0 (got {LbfgsToleranceChange})"));
        if (Activation is not ("tanh" or "sin")) throw new UserError($"model.activation must be tanh or sin (got '{Activation}')");
        int d = domain.Dimensions;
        if (Layers.Count < 2 || Layers[0] != d || Layers[^1] != 1 || Layers.Any(w => w < 1))
            throw new UserError($"pde.layers must start with {d} inputs ({string.Join(", ", domain.Variables)}) and end with 1 output (u); got [{string.Join(", ", Layers)}]");
    }
}
