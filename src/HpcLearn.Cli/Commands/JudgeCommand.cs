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
        var threads = CommonOptions.Threads();
        var cmd = new Command("judge", "share of positions sampled from play where the agent's move is optimal by the perfect solver")
        {
            model, positions, minPly, maxPly, game, simulations, seed, noSolver, threads,
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
                var set = Judge.Sample(g, GameSolver.For(g), n, lo, hi, s);
                double share = Judge.Score(player, set);
                double random = Judge.RandomShare(set);
                stdout.WriteLine(string.Format(CultureInfo.InvariantCulture,
                    "{0}: optimal move in {1:0.0%} of {2} positions ({3}, {4}-{5} stones, each with at least one losing move); a random move: {6:0.0%} expected",
                    spec, share, set.Count, g.Name, lo, hi, random));
            }
            finally { foreach (var d in owned) d.Dispose(); }
            return CliApp.Ok;
        });
        return cmd;
    }
}
