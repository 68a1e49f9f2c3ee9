using System.CommandLine;
using HpcLearn.Cli.Commands;

namespace HpcLearn.Cli;

/// <summary>
/// The <c>hpclearn</c> command line: parsing, printing and exit codes only (0 ok, and the help for
/// a bare <c>hpclearn</c>; 2 user error
/// with one line and no stack trace, 1 bug with the stack trace, 3 training stopped for the
/// deadline or a signal with its checkpoint saved; 4 a rerun whose metrics differ beyond the run's determinism). No ML logic lives here.
/// </summary>
public static class CliApp
{
    /// <summary>Exit code for success.</summary>
    public const int Ok = 0;
    /// <summary>Exit code for a bug (stack trace printed).</summary>
    public const int Bug = 1;
    /// <summary>Exit code for a user's mistake (one line printed).</summary>
    public const int UserMistake = 2;
    /// <summary>
    /// Exit code of <c>train</c> stopped for the job's deadline or a signal (USR1, TERM): the
    /// checkpoint is saved (and the job requeued where configured); resume with <c>--resume</c>.
    /// </summary>
    public const int Stopped = 3;
    /// <summary>
    /// Exit code of <c>rerun</c> when the rerun finished but its metrics (or weights) differ from the
    /// original's beyond what the run's determinism allows.
    /// </summary>
    public const int NotReproduced = 4;

    /// <summary>Parses <paramref name="args"/>, runs the command and returns the exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => Run(args, stdout, stderr, new CliHost());

    /// <summary>As <see cref="Run(string[], TextWriter, TextWriter)"/>, with the world given by <paramref name="host"/>.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CliHost host)
    {
        // A named Command rather than RootCommand, so help says "hpclearn" and not the assembly name.
        var root = new Command("hpclearn", "hpclearn: machine learning from data to trained model to predictions, on a laptop or a Slurm cluster.")
        {
            new System.CommandLine.Help.HelpOption(),
            new VersionOption(),
            QuickstartCommand.Create(stdout),
            ExampleCommand.Create(stdout),
            TrainCommand.Create(stdout, stderr, host),
            RerunCommand.Create(stdout, stderr, host),
            PredictCommand.Create(stdout, stderr),
            GenerateCommand.Create(stdout, stderr),
            EvaluateCommand.Create(stdout),
            ClusterCommand.Create(stdout, host),
            PlayCommand.Create(stdout, Console.In),
            ArenaCommand.Create(stdout),
            JudgeCommand.Create(stdout),
            RecommendCommand.Create(stdout),
            ReportCommand.Create(stdout),
            TasksCommand.Create(stdout),
            SubmitCommand.Create(stdout, host),
            DoctorCommand.Create(stdout, host),
            SweepCommand.Create(stdout, host),
            SweepReportCommand.Create(stdout, host),
            StatusCommand.Create(stdout, host),
            LogsCommand.Create(stdout, host),
            CancelCommand.Create(stdout, host),
        };
        VersionAction.Install(root, stdout);
        // A real command line cannot hold a NUL; an in-process caller's can, and no path may.
        for (int i = 0; i < args.Length; i++)
            if (args[i].Contains('\0'))
            {
                stderr.WriteLine($"error: argument {i + 1} ('{OneLine(args[i])}') holds a NUL character; remove it");
                return UserMistake;
            }
        // Bare 'hpclearn' asks what there is: the help, exit 0 (as git and dotnet do), not an error.
        if (args.Length == 0) args = ["--help"];
        var parsed = root.Parse(args);
        if (ParseErrorLine.Of(parsed) is { } mistake)
        {
            // One line, as for every user error: what was not understood, and the nearest valid word.
            stderr.WriteLine($"error: {OneLine(mistake)}");
            return UserMistake;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (UserError e)
        {
            stdout.Flush();
            stderr.WriteLine($"error: {OneLine(e.Message)}");
            return UserMistake;
        }
        catch (Exception e) when (WriteFailure.EnvironmentCause(e) is { } cause)
        {
            // A write refused deep inside a library (TensorBoard's event files): the disk, not a bug.
            stdout.Flush();
            stderr.WriteLine(PathIn(e) is { } path ? $"error: cannot write '{OneLine(path)}': {cause}" : $"error: a write failed: {cause}");
            return UserMistake;
        }
        catch (Exception e)
        {
            stdout.Flush();
            stderr.WriteLine($"internal error (a bug in hpclearn; please report it with this trace): {e}");
            return Bug;
        }
    }

    /// <summary>
    /// A user error as one line, whatever it quotes: a value the user gave may hold line breaks or
    /// escape codes (a hostile name, a --set value), shown here as <c>\n</c>, <c>\r</c>, <c>\t</c> or <c>?</c>.
    /// </summary>
    internal static string OneLine(string message) => string.Concat(message.Select(c => c switch
    {
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        _ when char.IsControl(c) => "?",
        _ => c.ToString(),
    }));

    // .NET names the file at the end of its I/O messages: "No space left on device : '/path'".
    private static string? PathIn(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (System.Text.RegularExpressions.Regex.Match(x.Message, "'([^'\n]+)'\\s*$") is { Success: true } m) return m.Groups[1].Value;
        return null;
    }
}
