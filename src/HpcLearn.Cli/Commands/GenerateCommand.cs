using System.CommandLine;
using HpcLearn.Tasks.Text;

namespace HpcLearn.Cli.Commands;

/// <summary><c>hpclearn generate MODEL --prompt TEXT --tokens N --temperature T --top-k K [--seed S]</c>.</summary>
internal static class GenerateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var defaults = new SamplingOptions();
        var model = new Argument<string>("model") { Description = "model folder of a text run (runs/NAME/model)" };
        var prompt = new Option<string>("--prompt") { Description = "text to continue (default: empty, start from a new line)", DefaultValueFactory = _ => "" };
        var tokens = new Option<int>("--tokens") { Description = "tokens to sample (characters or bytes)", DefaultValueFactory = _ => defaults.Tokens };
        var temperature = new Option<double>("--temperature") { Description = "below 1: safer, above 1: wilder, 0: always the likeliest", DefaultValueFactory = _ => defaults.Temperature };
        var topK = new Option<int>("--top-k") { Description = "sample among the k likeliest tokens only (0: all)", DefaultValueFactory = _ => defaults.TopK };
        var seed = new Option<int?>("--seed") { Description = "seed of the draws: the same seed gives the same text (default: a fresh one)" };
        var noCache = new Option<bool>("--no-cache") { Description = "re-run the whole context for every token instead of caching keys and values (slower; for comparison)" };
        var threads = CommonOptions.Threads();
        var cmd = new Command("generate", "sample text from a trained text model, streamed as it is drawn")
        {
            model, prompt, tokens, temperature, topK, seed, noCache, threads,
        };
        cmd.SetAction(r =>
        {
            var options = new SamplingOptions
            {
                Tokens = r.GetValue(tokens), Temperature = r.GetValue(temperature), TopK = r.GetValue(topK),
                Seed = r.GetValue(seed), UseCache = !r.GetValue(noCache),
            };
            options.Check();
            CommonOptions.ApplyThreadsQuietly(r.GetValue(threads), r.GetValue(model));
            TextGenerator.Generate(r.GetValue(model)!, r.GetValue(prompt)!, options, stdout, stderr);
            return CliApp.Ok;
        });
        return cmd;
    }
}
