namespace HpcLearn.Tasks.Games;

/// <summary>
/// A text file of positions, one per line, each the moves from the start as a human types them
/// (1-based columns or cells): separated by spaces or commas (<c>5 1 9</c>) or run together
/// (<c>4453</c>). Blank lines and lines starting with <c>#</c> are skipped.
/// </summary>
public static class PositionFile
{
    /// <summary>A position and where it came from.</summary>
    public sealed record Entry(int Line, string Moves, GameState State);

    /// <summary>Reads <paramref name="path"/>; a bad move is a <see cref="UserError"/> naming the line.</summary>
    public static List<Entry> Read(string path, Game game)
    {
        if (!File.Exists(path)) throw new UserError($"positions file '{path}' not found");
        var list = new List<Entry>();
        int n = 0;
        foreach (string raw in File.ReadLines(path))
        {
            n++;
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var tokens = line.IndexOfAny([' ', ',', '\t']) >= 0
                ? line.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries)
                : line.Select(c => c.ToString()).ToArray();
            var s = game.Initial();
            foreach (string t in tokens)
            {
                int? move = game.ParseMove(t);
                if (move is null) throw new UserError($"{path}:{n}: '{t}' is not a {game.Name} move; {game.MovePrompt}");
                if (!s.IsLegal(move.Value))
                    throw new UserError($"{path}:{n}: move {t} is illegal after {s.MovesPlayed} moves{(s.IsTerminal ? " (the game is already over)" : "")}");
                s = s.Play(move.Value);
            }
            list.Add(new Entry(n, line, s));
        }
        return list;
    }
}
