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
            case "diagnose":
                Diagnose(args[1], int.Parse(args[2], ci), int.Parse(args[3], ci), int.Parse(args[4], ci), int.Parse(args[5], ci));
                return 0;
            default:
                Console.Error.WriteLine("usage: c4-solver generate N SEED OUT | children FILE OUT | score FILE | label STONES N SEED | diagnose MODEL N SEED MIN_STONES MAX_STONES");
                return 2;
        }
    }

    /// <summary>
    /// Where a trained agent's network goes wrong on the judge's hard set: the share of positions
    /// where (a) its policy's most probable move is optimal, (b) the move whose position the value
    /// head likes best is optimal (one ply of lookahead, no search), (c) the value head has the
    /// position's exact outcome (thresholds ±1/3), and (d) the value head puts each move's resulting
    /// position in its exact outcome class.
    /// </summary>
    private static void Diagnose(string modelDir, int n, int seed, int minPly, int maxPly)
    {
        using var model = GameModel.Load(modelDir);
        var game = model.Game;
        var solver = GameSolver.For(game);
        var positions = Judge.Sample(game, solver, n, minPly, maxPly, seed, JudgeSet.Hard);
        var net = new NetworkPolicyValue(model.Net);
        int actions = game.ActionCount;
        var states = positions.Select(p => p.State).ToList();
        var priors = new float[states.Count * actions];
        var values = new float[states.Count];
        net.Evaluate(states, priors, values);
        int policyGood = 0, valueGreedyGood = 0, outcomeGood = 0, childGood = 0, childTotal = 0;
        var byOutcome = new int[3]; var byOutcomeGood = new int[3];
        static int Class(float v) => v > 1f / 3 ? 1 : v < -1f / 3 ? -1 : 0;
        for (int i = 0; i < states.Count; i++)
        {
            var s = states[i];
            var legal = s.LegalMoves();
            int pMove = legal.MaxBy(a => priors[i * actions + a]);
            if (positions[i].Optimal.Contains(pMove)) policyGood++;
            var outcomes = solver.MoveOutcomes(s);
            int outcome = outcomes.Max();
            byOutcome[outcome + 1]++;
            if (Class(values[i]) == outcome) { outcomeGood++; byOutcomeGood[outcome + 1]++; }
            var children = legal.Select(a => s.Play(a)).ToList();
            var cp = new float[children.Count * actions]; var cv = new float[children.Count];
            net.Evaluate(children, cp, cv);
            double best = double.NegativeInfinity; int vMove = -1;
            for (int j = 0; j < legal.Length; j++)
            {
                double mine = children[j].LastMoveWon ? 1 : children[j].IsTerminal ? 0 : -cv[j];
                if (mine > best) { best = mine; vMove = legal[j]; }
                childTotal++;
                if (Class((float)mine) == outcomes[legal[j]]) childGood++;
            }
            if (positions[i].Optimal.Contains(vMove)) valueGreedyGood++;
        }
        double m = states.Count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{states.Count} hard positions, {minPly}-{maxPly} stones: policy top move optimal {policyGood / m:P1}; best child by value optimal {valueGreedyGood / m:P1}; " +
            $"position outcome right {outcomeGood / m:P1} (wins {byOutcomeGood[2]}/{byOutcome[2]}, draws {byOutcomeGood[1]}/{byOutcome[1]}, losses {byOutcomeGood[0]}/{byOutcome[0]}); " +
            $"children's outcome right {(double)childGood / childTotal:P1} of {childTotal}"));
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
    /// in one), each labelled as the self-play labeller does, the table kept between positions:
    /// every move's exact score (<see cref="ConnectFourSolver.ExactOptimal"/>, <c>label_ms</c>) and,
    /// with a second solver, the outcome alone (<c>outcome_ms</c>: what a value-only label would cost);
    /// milliseconds per position.
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
        double label = sw.Elapsed.TotalMilliseconds / count;
        // A value-only label: a weak solve, with a table of its own.
        var weak = new ConnectFourSolver();
        sw.Restart();
        foreach (var p in positions) weak.Outcome(p);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stones={stones} positions={count} label_ms={label:F2} outcome_ms={sw.Elapsed.TotalMilliseconds / count:F2}"));
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
