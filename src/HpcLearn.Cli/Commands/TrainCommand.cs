using System.CommandLine;
using HpcLearn.Config;
using HpcLearn.Tasks;
using HpcLearn.Training;

namespace HpcLearn.Cli.Commands;

/// <summary><c>hpclearn train CONFIG</c>.</summary>
internal static class TrainCommand
{
    public static Command Create(TextWriter stdout)
    {
        var config = new Argument<string>("config") { Description = "YAML config file (see examples/ and 'hpclearn tasks')" };
        var set = new Option<string[]>("--set")
        {
            Description = "override a config key, e.g. --set train.epochs=5 (repeatable)",
            AllowMultipleArgumentsPerToken = false,
        };
        var resume = new Option<bool>("--resume") { Description = "continue the run folder's newest valid checkpoint" };
        var outDir = CommonOptions.Out("folder that holds run folders", "runs");
        var threads = CommonOptions.Threads();
        var device = CommonOptions.Device();
        var cmd = new Command("train", "train a model from a config file and write a run folder (config, metrics, checkpoints, model, summary)")
        {
            config, set, resume, outDir, threads, device,
        };
        cmd.SetAction(r =>
        {
            var overrides = (r.GetValue(set) ?? []).Concat(r.GetValue(device) is { } d ? [$"device={d}"] : []);
            var cfg = ConfigLoader.Load(r.GetValue(config)!, overrides, name => TaskRegistry.Find(name)?.ConfigType,
                TaskRegistry.All.Select(t => t.Name).ToList());
            var task = TaskRegistry.Get(cfg.Task);
            CommonOptions.ApplyThreads(r.GetValue(threads) ?? cfg.Threads, stdout);
            task.Train(cfg, new RunContext
            {
                Out = stdout, IsTerminal = CommonOptions.IsTerminal(stdout),
                RunsRoot = r.GetValue(outDir)!, Resume = r.GetValue(resume),
            });
            return CliApp.Ok;
        });
        return cmd;
    }
}
