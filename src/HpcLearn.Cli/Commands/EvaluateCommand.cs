using System.CommandLine;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Cli.Commands;

/// <summary><c>hpclearn evaluate MODEL DATA</c>.</summary>
internal static class EvaluateCommand
{
    public static Command Create(TextWriter stdout)
    {
        var model = new Argument<string>("model") { Description = "model folder (the model/ folder of a run)" };
        var data = new Argument<string>("data") { Description = "labelled CSV or JSON file (inputs and the target column)" };
        var json = new Option<bool>("--json") { Description = "print the metrics as JSON (summary.json's keys; run_dir and epochs only for a model inside a run folder) instead of a table" };
        var threads = CommonOptions.Threads();
        var cmd = new Command("evaluate", "metrics of a trained model on labelled data, beside the trivial baseline") { model, data, json, threads };
        cmd.SetAction(r =>
        {
            string dir = r.GetValue(model)!;
            var task = CommonOptions.TaskForModel(dir);
            CommonOptions.ApplyThreadsQuietly(r.GetValue(threads), dir);
            bool asJson = r.GetValue(json);
            var summary = task.Evaluate(dir, r.GetValue(data)!, asJson ? TextWriter.Null : stdout);
            if (asJson) stdout.WriteLine(EvaluateJson.Of(summary, dir));
            return CliApp.Ok;
        });
        return cmd;
    }
}
