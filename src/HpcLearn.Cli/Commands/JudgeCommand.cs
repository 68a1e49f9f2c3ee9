using System.CommandLine;
using System.Globalization;
using HpcLearn.Tasks.Games;

namespace HpcLearn.Cli.Commands;

/// <summary>
/// <c>hpclearn judge MODEL</c>: the share of sampled mid-game positions where the agent's move is
/// optimal; with <c>--exhaustive</c>, every line against every opponent (tic-tac-toe only).
/// </summary>
internal static class JudgeCommand
{
    public static Command Create(TextWriter stdout)
    {
        var model = new Argument<string>("model") { Description = "model folder of a games run, or random / solver / mcts:K with --game" };
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
        var exhaustive = new Option<bool>("--exhaustive")
        {
            Description = "play every line instead of sampling: the opponent tries every legal move at each of its turns, the agent moves as in play, "
                + "as first and as second player; prints lines, losses, the first lost line and the agent's non-optimal moves (tic-tac-toe only; "
                + "--positions, --min-ply, --max-ply, --seed and --set do not apply)",
        };
        var threads = CommonOptions.Threads();
        var cmd = new Command("judge", "share of positions sampled from play where the agent's move is optimal by the perfect solver (Connect Four: exact score, the fastest win or slowest loss); --exhaustive: whether it ever loses")
        {
            model, positions, minPly, maxPly, game, simulations, seed, noSolver, set, exhaustive, threads,
        };
        cmd.SetAction(r =>
        {
            string spec = r.GetValue(model)!;
            int n = r.GetValue(positions);
            if (n < 1) throw new UserError($"--positions must be at least 1 (got {n})");
            CommonOptions.ApplyThreadsQuietly(r.GetValue(threads), spec);
            var g = PlayerSpec.ResolveGame([spec], r.GetValue(game));
            if (r.GetValue(exhaustive))
            {
                if (r.GetValue(minPly) is not null || r.GetValue(maxPly) is not null)
                    throw new UserError("--min-ply/--max-ply choose the sampled positions; --exhaustive plays every line, so leave them out");
                return Exhaustive(stdout, spec, g, r.GetValue(seed), r.GetValue(simulations), !r.GetValue(noSolver));
            }
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

    /// <summary>The most non-optimal moves listed one a line; the rest are counted.</summary>
    private const int MistakesShown = 10;

    private static int Exhaustive(TextWriter stdout, string spec, Game g, int seed, int? simulations, bool solver)
    {
        if (!ExhaustiveJudge.CanEnumerate(g))
            throw new UserError($"--exhaustive: {g.Name} has too many lines to enumerate (only boards of up to {ExhaustiveJudge.MaxCells} cells); use judge without --exhaustive");
        var owned = new List<IDisposable>();
        try
        {
            var player = PlayerSpec.Create(spec, g, seed, simulations, owned, solver) as IMoveSetPlayer
                ?? throw new UserError($"--exhaustive: {spec} picks its moves by random rollouts, so its lines cannot be listed; judge it without --exhaustive");
            var result = ExhaustiveJudge.Run(g, player, GameSolver.For(g));
            stdout.WriteLine(result.Describe(spec));
            if (result.FirstLoss is var (side, moves))
            {
                string agentMoves = ExhaustiveJudge.Format(g, moves.Where((_, i) => i % 2 == side).ToList());
                stdout.WriteLine($"first lost line, agent {(side == 0 ? "first" : "second")}: {ExhaustiveJudge.Format(g, moves)} (the agent's moves: {agentMoves})");
                if (!PlayerSpec.IsBuiltIn(spec))
                {
                    string typed = string.Concat(moves.Where((_, i) => i % 2 != side).Select(m => g.FormatMove(m) + "\\n"));
                    string options = (side == 0 ? " --second" : "") + (simulations is int n ? $" --simulations {n}" : "") + (solver ? "" : " --no-solver");
                    stdout.WriteLine($"  replay: printf '{typed}q\\n' | hpclearn play {spec}{options}");
                }
            }
            foreach (var m in result.Mistakes.Take(MistakesShown))
                stdout.WriteLine($"non-optimal: after {ExhaustiveJudge.Format(g, m.Line)} played {g.FormatMove(m.Move)} ({Word(m.Outcome)} → {Word(m.OutcomeAfter)}); optimal: {ExhaustiveJudge.Format(g, m.Optimal)}");
            if (result.Mistakes.Count > MistakesShown) stdout.WriteLine($"... and {result.Mistakes.Count - MistakesShown} more non-optimal moves");
        }
        finally { foreach (var d in owned) d.Dispose(); }
        return CliApp.Ok;
    }

    private static string Word(int outcome) => outcome switch { > 0 => "win", 0 => "draw", _ => "loss" };
}
