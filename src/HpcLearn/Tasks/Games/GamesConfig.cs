using HpcLearn.Config;

namespace HpcLearn.Tasks.Games;

/// <summary>
/// A games run's config: the shared keys, the game, the network (<c>model:</c>) and the self-play
/// loop (<c>selfplay:</c>). From <c>train:</c> it uses <c>lr</c>, <c>batch_size</c>,
/// <c>weight_decay</c>, <c>optimizer</c>, <c>keep_checkpoints</c> and <c>max_time</c>; the
/// epoch-based keys are refused.
/// </summary>
public sealed record GamesConfig : RunConfig, IValidatable, IUnreadKeys
{
    private const string Why = "is not used by the games task, which trains selfplay.steps_per_iteration steps after each iteration's self-play";

    private static readonly Dictionary<string, string> Unread = new()
    {
        ["train.epochs"] = $"{Why}; set selfplay.iterations and selfplay.steps_per_iteration instead",
        ["train.schedule"] = $"{Why}; set selfplay.lr_schedule (constant or cosine) instead",
        ["train.grad_clip"] = $"{Why}; remove it",
        ["train.early_stopping_patience"] = $"{Why}; remove it",
        ["train.checkpoint_every"] = $"{Why}, with a checkpoint after every iteration; remove it",
        ["train.calibrate"] = $"{Why}; remove it",
    };

    /// <summary>Creates a config with the task set to <c>games</c>.</summary>
    public GamesConfig() => Task = GamesTask.Name;

    /// <summary>The game: <c>tic_tac_toe</c> or <c>connect_four</c>. Default tic_tac_toe.</summary>
    public string Game { get; init; } = TicTacToe.GameName;

    /// <summary>The network.</summary>
    public GameNetOptions Model { get; init; } = new();

    /// <summary>The self-play loop.</summary>
    public SelfPlayOptions Selfplay { get; init; } = new();

    /// <summary>
    /// Opponents of the trained agent after training (<c>random</c>, <c>solver</c>, <c>mcts:K</c>),
    /// <c>selfplay.final_games</c> games each. Default [random, solver]; the solver is slow in the
    /// Connect Four opening, so use [random, "mcts:1000"] there.
    /// </summary>
    public List<string> FinalOpponents { get; init; } = ["random", "solver"];

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> UnreadKeys => Unread;

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (GameCatalog.All.All(g => g.Name != Game))
            yield return ("game", $"unknown game '{Game}'; known games: {string.Join(", ", GameCatalog.All.Select(g => g.Name))}");
        if (Selfplay.Promotion == "exhaustive" && GameCatalog.All.FirstOrDefault(g => g.Name == Game) is { } g && !ExhaustiveJudge.CanEnumerate(g))
            yield return ("selfplay.promotion", $"exhaustive needs a game small enough to enumerate every line (tic-tac-toe), not {Game}; use arena or leave it out");
        foreach (var spec in FinalOpponents.Where(s => !PlayerSpec.IsBuiltIn(s)))
            yield return ("final_opponents", $"'{spec}' is not random, solver or mcts:K");
    }
}
