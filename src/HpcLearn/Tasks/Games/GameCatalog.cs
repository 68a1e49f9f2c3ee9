namespace HpcLearn.Tasks.Games;

/// <summary>The built-in games, by name.</summary>
public static class GameCatalog
{
    /// <summary>All games.</summary>
    public static IReadOnlyList<Game> All { get; } = [TicTacToe.Instance, ConnectFour.Instance];

    /// <summary>The game called <paramref name="name"/>, or a <see cref="UserError"/> naming <paramref name="where"/> and the known games.</summary>
    public static Game Get(string name, string where = "game") => All.FirstOrDefault(g => g.Name == name)
        ?? throw new UserError($"{where}: unknown game '{name}'; known games: {string.Join(", ", All.Select(g => g.Name))}");
}
