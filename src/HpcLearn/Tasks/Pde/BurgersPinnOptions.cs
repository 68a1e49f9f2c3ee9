namespace HpcLearn.Tasks.Pde;

/// <summary>
/// Settings of a Burgers PINN (u_t + u u_x = ν u_xx on [−1, 1] × [0, 1], u(x, 0) = −sin πx,
/// u(±1, t) = 0). Defaults are Raissi et al.'s: 100 initial/boundary points, 10,000 collocation
/// points by Latin hypercube, 2 → 8 × 20 → 1 tanh net. Checked by <see cref="Validate"/>.
/// </summary>
public sealed record BurgersPinnOptions
{
    /// <summary>Layer widths, inputs (2) first, output (1) last.</summary>
    public IReadOnlyList<int> Layers { get; init; } = PinnModel.DefaultSizes;
    /// <summary>Points drawn from the 456 candidates on t = 0 (256) and x = ±1 (100 each).</summary>
    public int InitialBoundaryPoints { get; init; } = 100;
    /// <summary>Collocation points, Latin hypercube in [−1, 1] × [0, 1].</summary>
    public int CollocationPoints { get; init; } = 10_000;
    /// <summary>Adam warm-up iterations (full batch).</summary>
    public int AdamIterations { get; init; } = 2000;
    /// <summary>Adam learning rate.</summary>
    public double AdamLearningRate { get; init; } = 1e-3;
    /// <summary>L-BFGS iterations after Adam.</summary>
    public int LbfgsIterations { get; init; } = 5000;
    /// <summary>L-BFGS stops when the step or the loss change is below this (PyTorch's tolerance_change).</summary>
    public double LbfgsToleranceChange { get; init; } = 1e-9;
    /// <summary>Viscosity ν.</summary>
    public double Nu { get; init; } = 0.01 / Math.PI;
    /// <summary>Float64 parameters and points (else float32).</summary>
    public bool Float64 { get; init; }
    /// <summary>Seed of the points and of the initial weights.</summary>
    public int Seed { get; init; } = 1234;

    /// <summary>The solver's settings (everything but the problem's own: ν and the initial/boundary points).</summary>
    /// <summary>Build u(x, 0) = −sin πx and u(±1, t) = 0 into the output: u = −sin πx + t(1 − x²)N. Default false (Raissi's set-up).</summary>
    public bool HardConstraints { get; init; }

    /// <summary>The general solver's settings.</summary>
    public PinnOptions ToPinnOptions() => new()
    {
        Layers = Layers, CollocationPoints = CollocationPoints, AdamIterations = AdamIterations, AdamLearningRate = AdamLearningRate,
        LbfgsIterations = LbfgsIterations, LbfgsToleranceChange = LbfgsToleranceChange, Float64 = Float64, Seed = Seed,
        HardConstraints = HardConstraints,
    };

    /// <summary>Throws a <see cref="UserError"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (CollocationPoints < 1)
            throw new UserError($"pde.collocation_points must be at least 1 (got {CollocationPoints}): the PDE residual needs points inside the domain");
        if (InitialBoundaryPoints < 1 || InitialBoundaryPoints > 456)
            throw new UserError($"pde.initial_boundary_points must be between 1 and 456 (got {InitialBoundaryPoints})");
        if (AdamIterations < 0) throw new UserError($"pde.adam_iterations must be at least 0 (got {AdamIterations})");
        if (LbfgsIterations < 0) throw new UserError($"pde.lbfgs_iterations must be at least 0 (got {LbfgsIterations})");
        if (!(AdamLearningRate > 0)) throw new UserError($"pde.adam_learning_rate must be positive (got {AdamLearningRate})");
        if (!(LbfgsToleranceChange >= 0)) throw new UserError($"pde.lbfgs_tolerance_change must be at least 0 (got {LbfgsToleranceChange})");
        if (!(Nu > 0)) throw new UserError($"pde.nu must be positive (got {Nu})");
        if (Layers.Count < 2 || Layers[0] != 2 || Layers[^1] != 1)
            throw new UserError($"pde.layers must start with 2 inputs (x, t) and end with 1 output (u); got [{string.Join(", ", Layers)}]");
    }
}
