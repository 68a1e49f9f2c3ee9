using System.Globalization;

namespace HpcLearn.Tasks.Games;

/// <summary>
/// A text file of positions, one per line, each the moves from the start as a human types them
/// (1-based columns or cells): separated by spaces or commas (<c>5 1 9</c>) or run together
/// (<c>4453</c>). An empty line is the empty board (blank lines after the last position are
/// ignored); lines starting with <c>#</c> are comments. The reference solver's benchmark layout,
/// <c>MOVES SCORE</c> (moves run together, a space, the exact score for the player to move), is
/// read as it is: when a line can only be read that way (moves longer than one character, or a
/// score that is not a move), every position line must have that form, and the second number is
/// the position's score, kept in <see cref="Entry.Score"/>.
/// </summary>
public static class PositionFile
{
    /// <summary>A position, where it came from, and the score the file gives for it (if any).</summary>
    public sealed record Entry(int Line, string Moves, GameState State, int? Score = null);

    /// <summary>Reads <paramref name="path"/>; a bad move is a <see cref="UserError"/> naming the line.</summary>
    public static List<Entry> Read(string path, Game game)
    {
        if (!File.Exists(path)) throw new UserError($"positions file '{path}' not found");
        var lines = File.ReadAllLines(path).Select(l => l.Trim()).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        // Scored when some line can only be read as "MOVES SCORE"; then every position line must be.
        int firstScored = lines.FindIndex(l => !l.StartsWith('#') && ScoredLine(l) is var (moves, score)
            && (moves.Length != 1 || game.ParseMove(score.ToString(CultureInfo.InvariantCulture)) is null));
        bool scored = firstScored >= 0;

        var list = new List<Entry>();
        for (int i = 0; i < lines.Count; i++)
        {
            int n = i + 1;
            string line = lines[i];
            if (line.StartsWith('#')) continue;
            int? fileScore = null;
            string movesText = line;
            if (scored && line.Length > 0)
            {
                var (m, sc) = ScoredLine(line)
                    ?? throw new UserError($"{path}:{n}: expected 'MOVES SCORE' (moves run together, a space, the score) as on line {firstScored + 1}, got '{line}'");
                movesText = m;
                fileScore = sc;
            }
            var tokens = movesText.IndexOfAny([' ', ',', '\t']) >= 0
                ? movesText.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries)
                : movesText.Select(c => c.ToString()).ToArray();
            var s = game.Initial();
            foreach (string t in tokens)
            {
                int? move = game.ParseMove(t);
                if (move is null) throw new UserError($"{path}:{n}: '{t}' is not a {game.Name} move; {game.MovePrompt}");
                if (!s.IsLegal(move.Value))
                    throw new UserError($"{path}:{n}: move {t} is illegal after {s.MovesPlayed} moves{(s.IsTerminal ? " (the game is already over)" : "")}");
                s = s.Play(move.Value);
            }
            list.Add(new Entry(n, movesText, s, fileScore));
        }
        return list;
    }

    /// <summary>"MOVES SCORE" (moves run together) or null.</summary>
    private static (string Moves, int Score)? ScoredLine(string line)
    {
        var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2) return null;
        var (moves, score) = (parts[0], parts[1]);
        if (!moves.All(char.IsAsciiDigit)) return null;
        return int.TryParse(score, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) ? (moves, v) : null;
    }
}
