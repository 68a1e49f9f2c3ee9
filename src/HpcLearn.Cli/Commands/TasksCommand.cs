using System.CommandLine;
using HpcLearn.Config;
using HpcLearn.Tasks;

namespace HpcLearn.Cli.Commands;

/// <summary><c>hpclearn tasks [TASK]</c>: each task (or one) with its full default config, every key described.</summary>
internal static class TasksCommand
{
    public static Command Create(TextWriter stdout)
    {
        var name = new Argument<string?>("task") { Description = "one task (tabular, vision, ...): only its keys; default: every task", Arity = ArgumentArity.ZeroOrOne };
        var cmd = new Command("tasks", "list the tasks and every config key with its default value and what it does") { name };
        cmd.SetAction(r =>
        {
            var tasks = TaskRegistry.All;
            if (r.GetValue(name) is { } wanted)
            {
                var known = tasks.Select(t => t.Name).ToList();
                var task = TaskRegistry.Find(wanted) ?? throw new UserError(KeySuggestion.Nearest(wanted, known) is { } near
                    ? $"unknown task '{wanted}'; did you mean '{near}'?"
                    : $"unknown task '{wanted}'; known tasks: {string.Join(", ", known)}");
                tasks = [task];
            }
            foreach (var task in tasks)
            {
                stdout.WriteLine($"# {task.Name}: {task.Description}");
                stdout.WriteLine("# every key with its default (a config file needs only the keys it changes):");
                stdout.WriteLine(ConfigWriter.ToYaml(Activator.CreateInstance(task.ConfigType)!, describe: true).TrimEnd());
                stdout.WriteLine();
            }
            return CliApp.Ok;
        });
        return cmd;
    }
}
