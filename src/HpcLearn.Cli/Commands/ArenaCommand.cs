using System.CommandLine;
using HpcLearn.Tasks.Games;

namespace HpcLearn.Cli.Commands;

/// <summary><c>hpclearn arena A B --games N</c>: a match between two players, with W/D/L and a 95% interval.</summary>
internal static class ArenaCommand
{
    public static Command Create(TextWriter stdout)
    {
        var a = new Argument<string>("a") { Description = "player A: a model folder, random, solver (perfect play; slow in the Connect Four opening) or mcts:K (plain MCTS, K rollouts per move)" };
        var b = new Argument<string>("b") { Description = "player B, as A" };
        var games = new Option<int>("--games") { Description = "games to play; A moves first in every other one", DefaultValueFactory = _ => 100 };
        var game = new Option<string?>("--game") { Description = "tic_tac_toe or connect_four (needed when neither player is a model folder)" };
        var simulations = new Option<int?>("--simulations") { Description = "search simulations per move of model players (default: each model's)" };
        var seed = new Option<int>("--seed") { Description = "random seed", DefaultValueFactory = _ => 42 };
        var noSolver = new Option<bool>("--no-solver") { Description = "model players search with plain PUCT, without MCTS-Solver's proven wins and losses" };
        var threads = CommonOptions.Threads();
        var cmd = new Command("arena", "play two agents (or an agent and random / plain MCTS / the perfect solver) against each other")
        {
            a, b, games, game, simulations, seed, noSolver, threads,
        };
        cmd.SetAction(r =>
        {
            int n = r.GetValue(games);
            if (n < 1) throw new UserError($"--games must be at least 1 (got {n})");
            string specA = r.GetValue(a)!, specB = r.GetValue(b)!;
            CommonOptions.ApplyThreadsQuietly(r.GetValue(threads), specA, specB);
            var g = PlayerSpec.ResolveGame([specA, specB], r.GetValue(game));
            var owned = new List<IDisposable>();
            try
            {
                int s = r.GetValue(seed);
                bool solver = !r.GetValue(noSolver);
                var pa = PlayerSpec.Create(specA, g, s, r.GetValue(simulations), owned, solver);
                var pb = PlayerSpec.Create(specB, g, s + 1, r.GetValue(simulations), owned, solver);
                var result = Arena.Play(g, pa, pb, n);
                stdout.WriteLine(result.Describe(specA, specB));
            }
            finally { foreach (var d in owned) d.Dispose(); }
            return CliApp.Ok;
        });
        return cmd;
    }
}
