using System.CommandLine;
using HpcLearn.Config;
using HpcLearn.Tasks;

namespace HpcLearn.Cli.Commands;

/// <summary><c>hpclearn tasks</c>: each task with its full default config.</summary>
internal static class TasksCommand
{
    public static Command Create(TextWriter stdout)
    {
        var cmd = new Command("tasks", "list the tasks and every config key with its default value");
        cmd.SetAction(_ =>
        {
            foreach (var task in TaskRegistry.All)
            {
                stdout.WriteLine($"# {task.Name}: {task.Description}");
                stdout.WriteLine("# every key with its default (a config file needs only the keys it changes):");
                stdout.WriteLine(ConfigWriter.ToYaml(Activator.CreateInstance(task.ConfigType)!).TrimEnd());
                stdout.WriteLine();
            }
            return CliApp.Ok;
        });
        return cmd;
    }
}
