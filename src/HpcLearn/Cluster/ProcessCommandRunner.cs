using System.ComponentModel;
using System.Diagnostics;

namespace HpcLearn.Cluster;

/// <summary>Runs programs for real, found on PATH.</summary>
public sealed class ProcessCommandRunner : ICommandRunner
{
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
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return new CommandResult(process.ExitCode, stdout, stderr.GetAwaiter().GetResult());
        }
    }
}
