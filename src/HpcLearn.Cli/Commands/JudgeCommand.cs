using System.CommandLine;
using System.Globalization;
using HpcLearn.Tasks.Games;

namespace HpcLearn.Cli.Commands;

/// <summary><c>hpclearn judge MODEL</c>: the share of sampled mid-game positions where the agent's move is optimal.</summary>
internal static class JudgeCommand
{
    public static Command Create(TextWriter stdout)
    {
        var model = new Argument<string>("model") { Description = "model folder of a games run, or random / mcts:K with --game" };
        var positions = new Option<int>("--positions") { Description = "positions to sample", DefaultValueFactory = _ => 200 };
        var minPly = new Option<int?>("--min-ply") { Description = "fewest stones on the board (default: 1 tic-tac-toe, 10 Connect Four)" };
        var maxPly = new Option<int?>("--max-ply") { Description = "most stones on the board (default: 7 tic-tac-toe, 24 Connect Four)" };
        var game = new Option<string?>("--game") { Description = "the game, when judging a built-in player" };
        var simulations = new Option<int?>("--simulations") { Description = "search simulations per move (default: the model's)" };
        var seed = new Option<int>("--seed") { Description = "seed of the sampled positions", DefaultValueFactory = _ => 42 };
        var noSolver = new Option<bool>("--no-solver") { Description = "model players search with plain PUCT, without MCTS-Solver's proven wins and losses" };
        var set = new Option<string>("--set")
        {
            Description = "easy: positions where some move changes the outcome; hard: exactly one move keeps it and no side can win at once; both (default)",
            DefaultValueFactory = _ => "both",
        };
        set.AcceptOnlyFromAmong("easy", "hard", "both");
        var threads = CommonOptions.Threads();
        var cmd = new Command("judge", "share of positions sampled from play where the agent's move is optimal by the perfect solver (Connect Four: exact score, the fastest win or slowest loss)")
        {
            model, positions, minPly, maxPly, game, simulations, seed, noSolver, set, threads,
        };
        cmd.SetAction(r =>
        {
            string spec = r.GetValue(model)!;
            int n = r.GetValue(positions);
            if (n < 1) throw new UserError($"--positions must be at least 1 (got {n})");
            CommonOptions.ApplyThreadsQuietly(r.GetValue(threads), spec);
            var g = PlayerSpec.ResolveGame([spec], r.GetValue(game));
            var (lo, hi) = Judge.DefaultPlies(g);
            lo = r.GetValue(minPly) ?? lo;
            hi = r.GetValue(maxPly) ?? hi;
            if (lo < 0 || hi < lo || hi >= g.Cells) throw new UserError($"--min-ply/--max-ply: need 0 ≤ min ≤ max < {g.Cells} (got {lo}..{hi})");
            var owned = new List<IDisposable>();
            try
            {
                int s = r.GetValue(seed);
                var player = PlayerSpec.Create(spec, g, s, r.GetValue(simulations), owned, !r.GetValue(noSolver));
                string which = r.GetValue(set)!;
                var solver = GameSolver.For(g);
                foreach (var kind in which == "both" ? [JudgeSet.Easy, JudgeSet.Hard] : new[] { which == "hard" ? JudgeSet.Hard : JudgeSet.Easy })
                {
                    var positionSet = Judge.Sample(g, solver, n, lo, hi, s, kind);
                    string what = kind == JudgeSet.Hard
                        ? "hard set: one move keeps the outcome, no side can win at once"
                        : "easy set: at least one move changes the outcome";
                    if (positionSet.Count == 0) { stdout.WriteLine($"{spec}: no positions of the {what} with {lo}-{hi} stones"); continue; }
                    stdout.WriteLine(string.Format(CultureInfo.InvariantCulture,
                        "{0}: optimal move in {1:0.0%} of {2} positions ({3}, {4}-{5} stones, {6}); a random move: {7:0.0%} expected",
                        spec, Judge.Score(player, positionSet), positionSet.Count, g.Name, lo, hi, what, Judge.RandomShare(positionSet)));
                }
            }
            finally { foreach (var d in owned) d.Dispose(); }
            return CliApp.Ok;
        });
        return cmd;
    }
}
