using System.Diagnostics;
using System.Globalization;
using HpcLearn.Tasks.Games;

namespace HpcLearn.Bench;

/// <summary>
/// c4-solver generate N SEED OUT: N Connect Four positions of the reference solver's "middle,
/// medium" class (15 to 28 stones played, the mover cannot win at once, and perfect play lasts 14
/// to 27 more moves), drawn by random play from SEED and scored by our solver: "moves score" lines.
/// c4-solver children FILE OUT: one line per position that a legal, not immediately winning move
/// of FILE's positions leads to (the work of scoring every move of each position).
/// c4-solver score FILE: scores each line of FILE with a cleared table (as the reference's command
/// line does), prints "moves score" lines, then seconds= and nodes= on stderr.
/// </summary>
internal static class C4SolverBench
{
    public static int Run(string[] args)
    {
        var ci = CultureInfo.InvariantCulture;
        switch (args.FirstOrDefault())
        {
            case "generate":
                Generate(int.Parse(args[1], ci), int.Parse(args[2], ci), args[3]);
                return 0;
            case "children":
                using (var w = new StreamWriter(args[2]))
                    foreach (string line in File.ReadLines(args[1]))
                    {
                        string moves = line.Split(' ')[0];
                        var s = Play(moves);
                        for (int c = 0; c < 7; c++)
                            if (s.IsLegal(c) && !s.Play(c).LastMoveWon) w.WriteLine(moves + (c + 1).ToString(ci));
                    }
                return 0;
            case "score":
                var solver = new ConnectFourSolver();
                var sw = Stopwatch.StartNew();
                foreach (string line in File.ReadLines(args[1]))
                {
                    string moves = line.Split(' ')[0];
                    solver.Clear();
                    Console.WriteLine(moves + " " + solver.Solve(Play(moves)).ToString(ci));
                }
                Console.Error.WriteLine(string.Create(ci, $"seconds={sw.Elapsed.TotalSeconds:F3} nodes={solver.Nodes}"));
                return 0;
            case "label":
                Label(int.Parse(args[1], ci), int.Parse(args[2], ci), int.Parse(args[3], ci));
                return 0;
            default:
                Console.Error.WriteLine("usage: c4-solver generate N SEED OUT | children FILE OUT | score FILE | label STONES N SEED");
                return 2;
        }
    }

    private static GameState Play(string moves)
    {
        var s = ConnectFour.Instance.Initial();
        foreach (char ch in moves) s = s.Play(ch - '1');
        return s;
    }

    private static void Generate(int count, int seed, string path)
    {
        var rng = new Random(seed);
        var solver = new ConnectFourSolver();
        using var w = new StreamWriter(path);
        for (int made = 0; made < count;)
        {
            var s = ConnectFour.Instance.Initial();
            var moves = new List<int>();
            int stones = rng.Next(15, 29);
            while (s.MovesPlayed < stones && !s.IsTerminal)
            {
                var legal = s.LegalMoves();
                int a = legal[rng.Next(legal.Length)];
                s = s.Play(a);
                moves.Add(a);
            }
            if (s.IsTerminal || s.LegalMoves().Any(a => s.Play(a).LastMoveWon)) continue;
            int score = solver.Solve(s);
            if (Remaining(score, s.MovesPlayed) is < 14 or >= 28) continue;
            w.WriteLine(string.Concat(moves.Select(m => (m + 1).ToString(CultureInfo.InvariantCulture))) + " " + score.ToString(CultureInfo.InvariantCulture));
            made++;
        }
    }

    /// <summary>
    /// The cost of a self-play label at STONES stones: N positions by random play (not over, no win
    /// in one), each labelled as the self-play labeller does (<see cref="ConnectFourSolver.ExactOptimal"/>,
    /// the table kept between positions); prints milliseconds per position.
    /// </summary>
    private static void Label(int stones, int count, int seed)
    {
        var rng = new Random(seed);
        var positions = new List<GameState>();
        while (positions.Count < count)
        {
            var s = ConnectFour.Instance.Initial();
            while (s.MovesPlayed < stones && !s.IsTerminal) { var legal = s.LegalMoves(); s = s.Play(legal[rng.Next(legal.Length)]); }
            if (!s.IsTerminal && !s.LegalMoves().Any(a => s.Play(a).LastMoveWon)) positions.Add(s);
        }
        var solver = new ConnectFourSolver();
        var sw = Stopwatch.StartNew();
        foreach (var p in positions) solver.ExactOptimal(p);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stones={stones} positions={count} label_ms={sw.Elapsed.TotalMilliseconds / count:F2}"));
    }

    /// <summary>Moves left under perfect play: a win with score s is on the winner's (22 − s)-th stone.</summary>
    private static int Remaining(int score, int played)
    {
        if (score == 0) return 42 - played;
        int winnerStones = 22 - Math.Abs(score);
        bool moverIsFirst = played % 2 == 0;
        bool winnerIsFirst = score > 0 ? moverIsFirst : !moverIsFirst;
        return (winnerIsFirst ? 2 * winnerStones - 1 : 2 * winnerStones) - played;
    }
}
