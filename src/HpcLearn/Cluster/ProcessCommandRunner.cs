using System.ComponentModel;
using System.Diagnostics;

namespace HpcLearn.Cluster;

/// <summary>Runs programs for real, found on PATH, each for at most <see cref="Timeout"/>.</summary>
public sealed class ProcessCommandRunner : ICommandRunner
{
    /// <summary>The exit code reported for a program killed after <see cref="Timeout"/> (as coreutils' timeout does).</summary>
    public const int TimedOut = 124;

    /// <summary>
    /// How long a program may run before it is killed. Default 60 s: a Slurm controller that does
    /// not answer must not hang a training start or a status query.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <inheritdoc />
    public CommandResult Run(string program, IReadOnlyList<string> arguments)
    {
        var psi = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new Win32Exception($"{program} did not start");
        }
        catch (Win32Exception)
        {
            return new CommandResult(CommandResult.NotFound, "", $"{program}: command not found");
        }
        using (process)
        {
            process.StandardInput.Close();
            // Both streams at once: a program that fills one pipe while we read the other would hang.
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                return new CommandResult(TimedOut, "", $"{program} did not answer within {Timeout.TotalSeconds:0} s");
            }
            process.WaitForExit();
            return new CommandResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
        }
    }
}
