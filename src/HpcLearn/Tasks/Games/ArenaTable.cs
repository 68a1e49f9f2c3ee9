using System.Globalization;
using System.Text;
using HpcLearn.Runs;

namespace HpcLearn.Tasks.Games;

/// <summary>
/// <c>arena.csv</c>: the final matches of the trained agent against each of <c>final_opponents</c>,
/// one row each (opponent, games, wins, draws, losses, score and its 95% interval), for the report.
/// </summary>
public static class ArenaTable
{
    /// <summary>File name in the run folder.</summary>
    public const string FileName = "arena.csv";

    /// <summary>Writes the table (a header alone when no match was played).</summary>
    public static void Write(string path, IReadOnlyList<(string Opponent, ArenaResult Result)> matches)
    {
        var sb = new StringBuilder("opponent,games,wins,draws,losses,score,score_low,score_high\n");
        foreach (var (opponent, r) in matches)
        {
            var (lo, hi) = r.ScoreInterval;
            sb.Append(CultureInfo.InvariantCulture, $"{Quote(opponent)},{r.Games},{r.Wins},{r.Draws},{r.Losses},{r.Score:0.####},{lo:0.####},{hi:0.####}\n");
        }
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    // A model folder may hold a comma or a quote; CSV quoting keeps the row's cells apart.
    private static string Quote(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? $"\"{s.Replace("\"", "\"\"")}\"" : s;
}
