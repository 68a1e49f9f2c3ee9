using HpcLearn.Config;

namespace HpcLearn.Tasks.Games;

/// <summary>The <c>selfplay:</c> section: the AlphaZero loop's sizes. Defaults suit tic-tac-toe on a laptop.</summary>
public sealed record SelfPlayOptions : IValidatable
{
    /// <summary>Self-play → train → evaluate rounds. Default 10.</summary>
    public int Iterations { get; init; } = 10;

    /// <summary>Self-play games per iteration. Default 64.</summary>
    public int GamesPerIteration { get; init; } = 64;

    /// <summary>Games played at once; their searches share one network batch per round. Default 32.</summary>
    public int GamesInFlight { get; init; } = 32;

    /// <summary>PUCT simulations per move in self-play. Default 50.</summary>
    public int Simulations { get; init; } = 50;

    /// <summary>Leaves gathered per search per round, kept apart by virtual loss. Default 4.</summary>
    public int ParallelLeaves { get; init; } = 4;

    /// <summary>Exploration constant of PUCT. Default 1.5.</summary>
    public double CPuct { get; init; } = 1.5;

    /// <summary>Dirichlet α of the root noise; null: the game's (1.0 for both built-in games). Default null.</summary>
    public double? DirichletAlpha { get; init; }

    /// <summary>Share of the root prior replaced by noise. Default 0.25.</summary>
    public double DirichletEpsilon { get; init; } = 0.25;

    /// <summary>
    /// MCTS-Solver in every search of the run (self-play, evaluation, the final games): proven
    /// wins and losses are played and avoided, and proven values backed up exactly. Default true.
    /// </summary>
    public bool MctsSolver { get; init; } = true;

    /// <summary>
    /// Exact targets from the perfect solver for self-play positions with at least
    /// <see cref="SolverTargetsFrom"/> stones (<see cref="Games.SolverTargets"/>): the position's
    /// outcome as the value target and <see cref="SolverPolicyMix"/> of the policy target on the
    /// moves with the best exact score, computed on a second core while self-play goes on.
    /// Default true.
    /// </summary>
    public bool SolverTargets { get; init; } = true;

    /// <summary>Fewest stones for the solver's targets; null: the game's (tic-tac-toe 0: every position; Connect Four 14, where labelling keeps pace with self-play on a second core). Default null.</summary>
    public int? SolverTargetsFrom { get; init; }

    /// <summary>Share of the policy target moved onto the solver's optimal moves, in [0, 1]. Default 0.5.</summary>
    public double SolverPolicyMix { get; init; } = 0.5;

    /// <summary>
    /// Simulations per move of self-play in positions that take the solver's targets (at least 1;
    /// null: <see cref="Simulations"/>). Their search only chooses the move played, so fewer can do,
    /// and the time saved can go to more simulations before them, where the search's visits are the
    /// policy target. Default null.
    /// </summary>
    public int? SolverSimulations { get; init; }

    /// <summary>
    /// Threads that label finished games at once, each with a solver of its own (Connect Four: a
    /// 42 MB table each): the labeller sets the pace of a Connect Four run labelled from 12 stones, so
    /// a second helps where a core is free (on 2 cores: 1.27× the iterations with 100 training steps an
    /// iteration, none with 200). Default 1.
    /// </summary>
    public int SolverLabellers { get; init; } = 1;

    /// <summary>
    /// Positions before a game's first solver-labelled one take its exact outcome (for their own
    /// player) as value target, instead of the result of the one game played from there. Default false.
    /// </summary>
    public bool SolverValueBackfill { get; init; }

    /// <summary>
    /// The random opening's positions (<see cref="RandomOpening"/>) with at least
    /// <see cref="SolverTargetsFrom"/> stones become training examples too, with the solver's
    /// targets: positions of random play, as a judge samples them, that self-play alone never
    /// labels (its search starts after the opening). They cost labelling time, not search. Default false.
    /// </summary>
    public bool SolverLabelOpening { get; init; }

    /// <summary>
    /// Positions after other moves than the one played that each solver-labelled position adds as
    /// value-only training examples (at most this many, drawn at random; the game's moves or more: all):
    /// the exact outcome there as value target, no policy target. Self-play plays well, so it
    /// rarely sees where a mistake leads; these show the value head. Needs <see cref="SolverTargets"/>.
    /// Default 0.
    /// </summary>
    public int SolverChildValues { get; init; }

    /// <summary>
    /// Each self-play game starts after a uniformly drawn number, 0 to this, of uniformly random
    /// moves (not training examples): positions off the self-play path, like the ones a judge
    /// samples from random play or a human opponent reaches. Default 0.
    /// </summary>
    public int RandomOpening { get; init; }

    /// <summary>
    /// The learning rate over the run: <c>constant</c> (<c>train.lr</c> throughout) or <c>cosine</c>
    /// (from <c>train.lr</c> down to 5% of it along a half cosine over the run's length: the larger
    /// of the share of the iterations done and the share of <c>train.max_time</c> used, so a run that
    /// ends on its time budget anneals too; a resumed run's budget starts again). Default constant.
    /// </summary>
    public string LrSchedule { get; init; } = "constant";

    /// <summary>
    /// Self-play of the next iteration runs beside this iteration's training, on a thread of its
    /// own (a second core), with a copy of the best network taken before the training: self-play is
    /// one iteration behind, and an iteration takes about the longer of self-play and training
    /// instead of their sum. One process only (MPI ranks already play in parallel); meant for
    /// <c>threads: 1</c> on 2 or more cores. Default false.
    /// </summary>
    public bool Overlap { get; init; }

    /// <summary>The factor on <c>train.lr</c> of <paramref name="schedule"/> at <paramref name="progress"/> (0 at the start, 1 at the end).</summary>
    public static double LrFactor(string schedule, double progress) =>
        schedule == "cosine" ? 0.05 + 0.95 * 0.5 * (1 + Math.Cos(Math.PI * Math.Clamp(progress, 0, 1))) : 1;

    /// <summary>Opening plies whose move is sampled in proportion to visits (temperature 1); later plies take the most visited. Default 4.</summary>
    public int TemperatureMoves { get; init; } = 4;

    /// <summary>Positions kept in the replay buffer (oldest dropped first). Default 20000.</summary>
    public int ReplaySize { get; init; } = 20_000;

    /// <summary>Optimiser steps per iteration (batches of <c>train.batch_size</c>, random symmetry each). Default 100.</summary>
    public int StepsPerIteration { get; init; } = 100;

    /// <summary>Games of the new network against the best one per iteration (half with each colour); 0 promotes always. Default 20.</summary>
    public int EvalGames { get; init; } = 20;

    /// <summary>
    /// How the new network becomes the best: <c>arena</c> (<see cref="EvalGames"/> games against
    /// the best, promoted at <see cref="PromoteThreshold"/>) or <c>exhaustive</c> (the exhaustive
    /// judge with the agent's search: promoted unless it loses more lines than the best, or as many
    /// with more non-optimal moves; tic-tac-toe only). null:
    /// exhaustive where the game can be enumerated, else arena. Default null.
    /// </summary>
    public string? Promotion { get; init; }

    /// <summary>Score (wins + draws/2 per game) the new network needs to become the best. Default 0.55.</summary>
    public double PromoteThreshold { get; init; } = 0.55;

    /// <summary>Games against the random player and the solver after training (half with each colour). Default 100.</summary>
    public int FinalGames { get; init; } = 100;

    /// <summary>Positions the final judge scores against the solver. Default 200.</summary>
    public int JudgePositions { get; init; } = 200;

    /// <summary>Simulations per move of the trained agent in evaluation, arena, judge and play. Default 100.</summary>
    public int AgentSimulations { get; init; } = 100;

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Iterations < 1) yield return ("iterations", "must be at least 1");
        if (GamesPerIteration < 1) yield return ("games_per_iteration", "must be at least 1");
        if (GamesInFlight < 1) yield return ("games_in_flight", "must be at least 1");
        if (Simulations < 1) yield return ("simulations", "must be at least 1");
        if (ParallelLeaves < 1) yield return ("parallel_leaves", "must be at least 1");
        if (CPuct <= 0) yield return ("c_puct", "must be positive, e.g. 1.5");
        if (DirichletAlpha is <= 0) yield return ("dirichlet_alpha", "must be positive, e.g. 1.0, or left out");
        if (DirichletEpsilon is < 0 or > 1) yield return ("dirichlet_epsilon", "must be in [0, 1]");
        if (SolverTargetsFrom is < 0) yield return ("solver_targets_from", "must be 0 or more (stones on the board), or left out");
        if (SolverPolicyMix is < 0 or > 1) yield return ("solver_policy_mix", "must be in [0, 1], e.g. 0.5");
        if (SolverLabellers < 1) yield return ("solver_labellers", "must be at least 1");
        if (SolverSimulations is < 1) yield return ("solver_simulations", "must be at least 1, or left out (the simulations of self-play)");
        if (SolverChildValues < 0) yield return ("solver_child_values", "must be 0 or more (positions after other moves, per labelled position)");
        if (SolverChildValues > 0 && !SolverTargets) yield return ("solver_child_values", "labels positions after other moves with the solver: set selfplay.solver_targets: true, or leave this out");
        if (RandomOpening < 0) yield return ("random_opening", "must be 0 or more (random moves at most)");
        if (SolverLabelOpening && !SolverTargets) yield return ("solver_label_opening", "labels the random opening with the solver's targets: set selfplay.solver_targets: true, or leave this out");
        if (LrSchedule is not ("constant" or "cosine")) yield return ("lr_schedule", $"must be constant or cosine, not '{LrSchedule}'");
        if (TemperatureMoves < 0) yield return ("temperature_moves", "must be 0 or more");
        if (ReplaySize < 1) yield return ("replay_size", "must be at least 1");
        if (StepsPerIteration < 0) yield return ("steps_per_iteration", "must be 0 or more");
        if (EvalGames < 0) yield return ("eval_games", "must be 0 or more");
        if (Promotion is not (null or "arena" or "exhaustive")) yield return ("promotion", $"must be arena or exhaustive, or left out (got '{Promotion}')");
        if (PromoteThreshold is < 0 or > 1) yield return ("promote_threshold", "must be in [0, 1], e.g. 0.55");
        if (FinalGames < 0) yield return ("final_games", "must be 0 or more");
        if (JudgePositions < 0) yield return ("judge_positions", "must be 0 or more");
        if (AgentSimulations < 1) yield return ("agent_simulations", "must be at least 1");
    }

    /// <summary>The search settings of self-play for <paramref name="game"/>.</summary>
    public MctsOptions SelfPlaySearch(Game game) => new()
    {
        Simulations = Simulations, CPuct = CPuct, ParallelLeaves = ParallelLeaves,
        DirichletAlpha = DirichletAlpha ?? game.DefaultDirichletAlpha, DirichletEpsilon = DirichletEpsilon, Solver = MctsSolver,
    };

    /// <summary>The solver's targets for <paramref name="game"/>'s self-play, or null when off.</summary>
    public SolverTargets? Targets(Game game) =>
        SolverTargets
            ? new SolverTargets(GameSolver.For(game), SolverPolicyMix, SolverTargetsFrom ?? (game is ConnectFour ? 14 : 0), () => GameSolver.For(game))
            { Simulations = SolverSimulations, ValueBackfill = SolverValueBackfill, Labellers = SolverLabellers, OpeningPositions = SolverLabelOpening, ChildValues = SolverChildValues }
            : null;

    /// <summary>Whether <paramref name="game"/>'s new networks are promoted by the exhaustive judge (<see cref="Promotion"/>).</summary>
    public bool PromotesByExhaustive(Game game) => Promotion is null ? ExhaustiveJudge.CanEnumerate(game) : Promotion == "exhaustive";

    /// <summary>The search settings of the trained agent (no noise).</summary>
    public MctsOptions AgentSearch => new() { Simulations = AgentSimulations, CPuct = CPuct, ParallelLeaves = 1, Solver = MctsSolver };

    /// <summary>The search settings of the new-vs-best evaluation games (self-play's simulations, no noise).</summary>
    public MctsOptions EvalSearch => new() { Simulations = Simulations, CPuct = CPuct, Solver = MctsSolver };
}
