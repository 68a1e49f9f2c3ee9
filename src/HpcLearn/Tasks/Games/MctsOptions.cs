namespace HpcLearn.Tasks.Games;

/// <summary>Settings of a PUCT search (AlphaZero's).</summary>
public sealed record MctsOptions
{
    /// <summary>Simulations (leaf evaluations) per move. Default 100.</summary>
    public int Simulations { get; init; } = 100;

    /// <summary>Exploration constant c in Q + c·P·√N / (1 + n). Default 1.5.</summary>
    public double CPuct { get; init; } = 1.5;

    /// <summary>Dirichlet α of the root noise; 0 turns the noise off. Default 0 (off: play, arena, judge).</summary>
    public double DirichletAlpha { get; init; }

    /// <summary>Share of the root priors replaced by noise. Default 0.25.</summary>
    public double DirichletEpsilon { get; init; } = 0.25;

    /// <summary>
    /// Leaves gathered per search before one batched evaluation; each pending path carries a
    /// virtual loss so the next selection goes elsewhere. Default 1 (plain sequential search).
    /// </summary>
    public int ParallelLeaves { get; init; } = 1;

    /// <summary>
    /// MCTS-Solver (Winands, Björnsson and Saito 2008): terminal positions and positions whose
    /// outcome follows from their children's are proven, backed up as exact values and never
    /// searched again; a proven win is played at once and proven losses are avoided. The search
    /// stops early once the root is proven. Default true; false is plain PUCT.
    /// </summary>
    public bool Solver { get; init; } = true;

    /// <summary>Checks the values.</summary>
    public MctsOptions Validated()
    {
        if (Simulations < 1) throw new ArgumentOutOfRangeException(nameof(Simulations), "must be at least 1");
        if (ParallelLeaves < 1) throw new ArgumentOutOfRangeException(nameof(ParallelLeaves), "must be at least 1");
        return this;
    }
}
