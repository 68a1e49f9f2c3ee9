namespace HpcLearn.Cluster;

/// <summary>What an external program returned.</summary>
/// <param name="ExitCode">Its exit code (127: not found).</param>
/// <param name="StdOut">Its standard output.</param>
/// <param name="StdErr">Its standard error.</param>
public sealed record CommandResult(int ExitCode, string StdOut, string StdErr)
{
    /// <summary>The exit code of a program that is not installed (as the shell reports it).</summary>
    public const int NotFound = 127;

    /// <summary>Exit code 0.</summary>
    public bool Ok => ExitCode == 0;

    /// <summary>
    /// Its error output as one line: the non-empty lines of stderr (else stdout) joined by "; ",
    /// e.g. <c>sbatch: error: invalid partition specified: gpu</c>.
    /// </summary>
    public string ErrorLine
    {
        get
        {
            var text = StdErr.Trim().Length > 0 ? StdErr : StdOut;
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return lines.Length == 0 ? $"exit code {ExitCode}, no message" : string.Join("; ", lines);
        }
    }
}
