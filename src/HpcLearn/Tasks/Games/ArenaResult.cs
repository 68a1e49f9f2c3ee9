namespace HpcLearn.Tasks.Games;

/// <summary>Results of a match from player A's view, by colour.</summary>
public sealed record ArenaResult
{
    /// <summary>A's wins, draws and losses when A moved first.</summary>
    public (int Wins, int Draws, int Losses) AsFirst { get; init; }

    /// <summary>A's wins, draws and losses when A moved second.</summary>
    public (int Wins, int Draws, int Losses) AsSecond { get; init; }

    /// <summary>Games played.</summary>
    public int Games => Wins + Draws + Losses;
    /// <summary>A's wins.</summary>
    public int Wins => AsFirst.Wins + AsSecond.Wins;
    /// <summary>Draws.</summary>
    public int Draws => AsFirst.Draws + AsSecond.Draws;
    /// <summary>A's losses.</summary>
    public int Losses => AsFirst.Losses + AsSecond.Losses;

    /// <summary>A's score: (wins + draws/2) / games.</summary>
    public double Score => Games == 0 ? double.NaN : (Wins + 0.5 * Draws) / Games;

    /// <summary>
    /// 95% confidence interval of A's expected score per game: mean ± 1.96 · s / √n over the
    /// per-game scores (1, ½, 0), clipped to [0, 1].
    /// </summary>
    public (double Low, double High) ScoreInterval
    {
        get
        {
            int n = Games;
            if (n < 2) return (0, 1);
            double mean = Score;
            double var = (Wins * Math.Pow(1 - mean, 2) + Draws * Math.Pow(0.5 - mean, 2) + Losses * mean * mean) / (n - 1);
            double half = 1.96 * Math.Sqrt(var / n);
            return (Math.Max(0, mean - half), Math.Min(1, mean + half));
        }
    }

    /// <summary>One line: W/D/L, score and its interval, and the split by colour.</summary>
    public string Describe(string a, string b)
    {
        var (lo, hi) = ScoreInterval;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        return string.Format(inv, "{0} vs {1}: {2} games, {0} won {3}, drew {4}, lost {5}; score {6:0.0%} (95% CI {7:0.0%} to {8:0.0%}); as first {9}/{10}/{11}, as second {12}/{13}/{14} (W/D/L)",
            a, b, Games, Wins, Draws, Losses, Score, lo, hi,
            AsFirst.Wins, AsFirst.Draws, AsFirst.Losses, AsSecond.Wins, AsSecond.Draws, AsSecond.Losses);
    }
}
