using System.CommandLine;
using HpcLearn.Cli.Commands;

namespace HpcLearn.Cli;

/// <summary>
/// The <c>hpclearn</c> command line: parsing, printing and exit codes only (0 ok, 2 user error
/// with one line and no stack trace, 1 bug with the stack trace). No ML logic lives here.
/// </summary>
public static class CliApp
{
    /// <summary>Exit code for success.</summary>
    public const int Ok = 0;
    /// <summary>Exit code for a bug (stack trace printed).</summary>
    public const int Bug = 1;
    /// <summary>Exit code for a user's mistake (one line printed).</summary>
    public const int UserMistake = 2;

    /// <summary>Parses <paramref name="args"/>, runs the command and returns the exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        // A named Command rather than RootCommand, so help says "hpclearn" and not the assembly name.
        var root = new Command("hpclearn", "hpclearn: machine learning from data to trained model to predictions, on a laptop or a Slurm cluster.")
        {
            new System.CommandLine.Help.HelpOption(),
            new VersionOption(),
            QuickstartCommand.Create(stdout),
            TrainCommand.Create(stdout),
            PredictCommand.Create(stdout, stderr),
            EvaluateCommand.Create(stdout),
            ReportCommand.Create(stdout),
            TasksCommand.Create(stdout),
        };
        VersionAction.Install(root, stdout);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // One line, as for every user error: the parser's messages joined, then where to look.
            var messages = parsed.Errors.Select(e => e.Message.Trim().TrimEnd('.')).Distinct();
            stderr.WriteLine($"error: {string.Join("; ", messages)}; run 'hpclearn --help' (or 'hpclearn COMMAND --help') for usage");
            return UserMistake;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (UserError e)
        {
            stdout.Flush();
            stderr.WriteLine($"error: {e.Message}");
            return UserMistake;
        }
        catch (Exception e)
        {
            stdout.Flush();
            stderr.WriteLine($"internal error (a bug in hpclearn; please report it with this trace): {e}");
            return Bug;
        }
    }
}
