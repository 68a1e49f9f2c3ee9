using System.Globalization;

namespace HpcLearn.Tasks.Games;

/// <summary>
/// Players named on the command line: <c>random</c>, <c>solver</c>, <c>mcts:K</c> (plain MCTS
/// with K rollouts per move) or a model folder.
/// </summary>
public static class PlayerSpec
{
    /// <summary>Whether <paramref name="spec"/> names a built-in player rather than a model folder.</summary>
    public static bool IsBuiltIn(string spec) => spec is "random" or "solver" || spec.StartsWith("mcts:", StringComparison.Ordinal);

    /// <summary>
    /// Creates the player for <paramref name="spec"/> in <paramref name="game"/>; loaded models go
    /// into <paramref name="owned"/> for the caller to dispose. A model of another game is a <see cref="UserError"/>.
    /// A model searches with MCTS-Solver unless <paramref name="solver"/> is false.
    /// </summary>
    public static IPlayer Create(string spec, Game game, int seed, int? simulations, List<IDisposable> owned, bool solver = true)
    {
        if (spec == "random") return new RandomPlayer(seed);
        if (spec == "solver") return new SolverPlayer(GameSolver.For(game), seed);
        if (spec.StartsWith("mcts:", StringComparison.Ordinal))
        {
            if (!int.TryParse(spec.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int k) || k < 1)
                throw new UserError($"player '{spec}': write mcts:K with K a positive number of rollouts per move, e.g. mcts:1000");
            return new RolloutMctsPlayer(k, seed);
        }
        var model = GameModel.Load(spec);
        owned.Add(model);
        if (model.Game != game)
            throw new UserError($"{spec}: this model plays {model.Game.Name}, not {game.Name}; pass players of the same game");
        return model.Player(spec, seed, simulations, solver: solver);
    }

    /// <summary>
    /// The game the players play: that of their model folders (which must agree), else
    /// <paramref name="fallback"/> (a --game option), else a <see cref="UserError"/>.
    /// </summary>
    public static Game ResolveGame(IEnumerable<string> specs, string? fallback)
    {
        Game? game = fallback is null ? null : GameCatalog.Get(fallback, "--game");
        string? from = fallback is null ? null : "--game";
        foreach (var spec in specs.Where(s => !IsBuiltIn(s)))
        {
            var g = GameModel.GameOf(spec);
            if (game is not null && g != game)
                throw new UserError($"{spec} plays {g.Name} but {from} is {game.Name}; both sides must play the same game");
            game ??= g;
            from ??= spec;
        }
        return game ?? throw new UserError($"no model folder among the players, so the game is unknown; add --game ({string.Join(" or ", GameCatalog.All.Select(g => g.Name))})");
    }
}
