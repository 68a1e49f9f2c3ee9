using System.CommandLine;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Cli.Commands;

/// <summary><c>hpclearn predict MODEL INPUT [--out FILE]</c>.</summary>
internal static class PredictCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var model = new Argument<string>("model") { Description = "model folder (the model/ folder of a run)" };
        var input = new Argument<string>("input") { Description = "CSV or JSON file with the model's input columns; for an image model, an image file or a folder of images" };
        var outFile = CommonOptions.Out("write predictions to this CSV file (default: standard output)");
        var threads = CommonOptions.Threads();
        var cmd = new Command("predict", "predict with a trained model: one output row per input row") { model, input, outFile, threads };
        cmd.SetAction(r =>
        {
            string dir = r.GetValue(model)!;
            var task = CommonOptions.TaskForModel(dir);
            CommonOptions.ApplyThreadsQuietly(r.GetValue(threads), dir);
            Func<string, TextWriter, int> predict = (inputPath, w) => task.Predict(dir, inputPath, w, stderr);
            string? path = r.GetValue(outFile);
            if (path is null)
            {
                predict(r.GetValue(input)!, stdout);
                return CliApp.Ok;
            }
            // Predict into memory first: a failure leaves an existing output file untouched.
            var buffer = new StringWriter();
            int rows = predict(r.GetValue(input)!, buffer);
            AtomicFile.WriteAllText(path, buffer.ToString());
            stderr.WriteLine($"wrote {rows} predictions to {path}");
            return CliApp.Ok;
        });
        return cmd;
    }
}
