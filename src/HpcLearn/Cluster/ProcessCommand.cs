using System.Diagnostics;

namespace HpcLearn.Cluster;

/// <summary>Runs a short external command (e.g. <c>squeue</c>) and returns what it printed.</summary>
internal static class ProcessCommand
{
    /// <summary>
    /// Standard output of <paramref name="commandLine"/> (words split on spaces, no shell), or null
    /// when the program is missing, fails, or takes longer than <paramref name="timeout"/>.
    /// </summary>
    public static string? Output(string commandLine, TimeSpan timeout)
    {
        var words = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var psi = new ProcessStartInfo(words[0], words.Skip(1))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            using var p = Process.Start(psi);
            if (p is null) return null;
            var stdout = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(timeout))
            {
                p.Kill(entireProcessTree: true);
                return null;
            }
            return p.ExitCode == 0 ? stdout.Result : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // not installed here
        }
    }

    /// <summary><see cref="Output(string, TimeSpan)"/> with a 10-second limit.</summary>
    public static string? Output(string commandLine) => Output(commandLine, TimeSpan.FromSeconds(10));
}
