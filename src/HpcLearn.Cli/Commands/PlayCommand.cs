using System.CommandLine;
using HpcLearn.Tasks.Games;

namespace HpcLearn.Cli.Commands;

/// <summary><c>hpclearn play MODEL [--second] [--simulations N]</c>: a human against a trained games agent.</summary>
internal static class PlayCommand
{
    public static Command Create(TextWriter stdout, TextReader stdin)
    {
        var model = new Argument<string>("model") { Description = "model folder of a games run (runs/NAME/model)" };
        var second = new Option<bool>("--second") { Description = "let the agent move first" };
        var simulations = new Option<int?>("--simulations") { Description = "search simulations per agent move (default: the model's)" };
        var seed = new Option<int>("--seed") { Description = "random seed", DefaultValueFactory = _ => 42 };
        var threads = CommonOptions.Threads();
        var cmd = new Command("play", "play a game against a trained games agent in the terminal (moves as column or cell numbers)")
        {
            model, second, simulations, seed, threads,
        };
        cmd.SetAction(r =>
        {
            CommonOptions.ApplyThreadsQuietly(r.GetValue(threads), r.GetValue(model));
            using var m = GameModel.Load(r.GetValue(model)!);
            var agent = m.Player("agent", r.GetValue(seed), r.GetValue(simulations));
            HumanPlay.Run(m.Game, agent, humanFirst: !r.GetValue(second), stdin, stdout, echoInput: Console.IsInputRedirected);
            return CliApp.Ok;
        });
        return cmd;
    }
}
