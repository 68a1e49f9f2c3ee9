using System.Globalization;
using HpcLearn.Config;

namespace HpcLearn.Tasks.Pde;

/// <summary>Config section <c>pde</c>: which equation, how many points, and the two optimiser phases.</summary>
public sealed record PdeOptions : IValidatable
{
    /// <summary>burgers (default), heat or poisson; see <see cref="PdeProblems"/>.</summary>
    public string Equation { get; init; } = "burgers";
    /// <summary>Burgers' viscosity ν. Default 0.01/π.</summary>
    public double Nu { get; init; } = 0.01 / Math.PI;
    /// <summary>The heat equation's diffusivity k. Default 0.1.</summary>
    public double Diffusivity { get; init; } = 0.1;
    /// <summary>Initial/boundary points: burgers draws this many of Raissi's 456 candidates; heat and poisson put this many on each condition. Default 100.</summary>
    public int BoundaryPoints { get; init; } = 100;
    /// <summary>Collocation points (Latin hypercube) where the residual is enforced. Default 10,000.</summary>
    public int CollocationPoints { get; init; } = 10_000;
    /// <summary>Adam iterations (full batch). Default 2000.</summary>
    public int AdamIterations { get; init; } = 2000;
    /// <summary>Adam learning rate. Default 1e-3.</summary>
    public double AdamLearningRate { get; init; } = 1e-3;
    /// <summary>L-BFGS iterations after Adam. Default 5000.</summary>
    public int LbfgsIterations { get; init; } = 5000;
    /// <summary>L-BFGS stops when the step or the loss change falls below this. Default 1e-9 (PyTorch's); near 2.2e-16 is SciPy's ftol = machine epsilon.</summary>
    public double LbfgsToleranceChange { get; init; } = 1e-9;
    /// <summary>Build the initial/boundary conditions into the network's output (u = G + D·N) instead of the loss. Default false (Raissi's set-up).</summary>
    public bool HardConstraints { get; init; }
    /// <summary>Residual-based refinement rounds after L-BFGS (each adds <see cref="RefinePoints"/> points where |f| is largest, then L-BFGS again). Default 0.</summary>
    public int RefineRounds { get; init; }
    /// <summary>Collocation points added per refinement round. Default 1000.</summary>
    public int RefinePoints { get; init; } = 1000;
    /// <summary>Candidates (Latin hypercube) whose residual is scored per round. Default 100,000.</summary>
    public int RefineCandidates { get; init; } = 100_000;
    /// <summary>L-BFGS iterations after each refinement round. Default 2000.</summary>
    public int RefineIterations { get; init; } = 2000;
    /// <summary>Adam and L-BFGS iterations between checkpoints (a run also checkpoints when a signal or the job's deadline stops it). Default 500.</summary>
    public int CheckpointEvery { get; init; } = 500;

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        var inv = CultureInfo.InvariantCulture;
        if (!PdeProblems.Names.Contains(Equation)) yield return ("equation", $"is '{Equation}'; use one of {string.Join(", ", PdeProblems.Names)}");
        if (!(Nu > 0)) yield return ("nu", string.Create(inv, $"must be positive (got {Nu})"));
        if (!(Diffusivity > 0)) yield return ("diffusivity", string.Create(inv, $"must be positive (got {Diffusivity})"));
        if (BoundaryPoints < 1) yield return ("boundary_points", $"must be at least 1 (got {BoundaryPoints})");
        if (Equation == "burgers" && BoundaryPoints > 456) yield return ("boundary_points", $"must be at most 456 for burgers, the number of Raissi's candidates (got {BoundaryPoints})");
        if (CollocationPoints < 1) yield return ("collocation_points", $"must be at least 1 (got {CollocationPoints}): the PDE residual needs points inside the domain");
        if (AdamIterations < 0) yield return ("adam_iterations", $"must be at least 0 (got {AdamIterations})");
        if (!(AdamLearningRate > 0)) yield return ("adam_learning_rate", string.Create(inv, $"must be positive (got {AdamLearningRate})"));
        if (LbfgsIterations < 0) yield return ("lbfgs_iterations", $"must be at least 0 (got {LbfgsIterations})");
        if (RefineRounds < 0) yield return ("refine_rounds", $"must be at least 0 (got {RefineRounds})");
        if (RefinePoints < 1) yield return ("refine_points", $"must be at least 1 (got {RefinePoints})");
        if (RefineCandidates < RefinePoints) yield return ("refine_candidates", $"must be at least refine_points ({RefinePoints}; got {RefineCandidates}): the added points are the worst of the candidates");
        if (RefineIterations < 1) yield return ("refine_iterations", $"must be at least 1 (got {RefineIterations})");
        if (CheckpointEvery < 1) yield return ("checkpoint_every", $"must be at least 1 (got {CheckpointEvery})");
        if (!(LbfgsToleranceChange >= 0)) yield return ("lbfgs_tolerance_change", string.Create(inv, $"must be at least 0 (got {LbfgsToleranceChange})"));
    }
}
