using System.Diagnostics;
using System.Text;

namespace HpcLearn.Tests.Cli;

/// <summary>
/// The hpclearn command as a separate process (<c>dotnet HpcLearn.Cli.dll ...</c>, the build next to
/// the tests), for what needs a real process: signals, SIGKILL. Output is collected as it comes.
/// </summary>
internal sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();

    private CliProcess(Process process) => _process = process;

    /// <summary>The dll of the command line, built beside the tests.</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "HpcLearn.Cli.dll");

    public int Pid => _process.Id;

    private int _errorLines;

    /// <summary>Lines printed on stderr so far.</summary>
    public int ErrorLines => Volatile.Read(ref _errorLines);

    /// <summary>Everything printed so far (stdout and stderr).</summary>
    public string Output { get { lock (_out) return _out.ToString(); } }

    public static CliProcess Start(params string[] args) => StartWith(new Dictionary<string, string?>(), args);

    /// <summary>As <see cref="Start"/>, with environment variables set (or, with a null value, removed) for the child.</summary>
    public static CliProcess StartWith(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var psi = new ProcessStartInfo(dotnet, [Dll, .. args])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        // A test run inside a Slurm job must not make the child think it is the job.
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("SLURM_", StringComparison.Ordinal)).ToList())
            psi.Environment.Remove(key);
        foreach (var (key, value) in environment)
        {
            if (value is null) psi.Environment.Remove(key);
            else psi.Environment[key] = value;
        }
        var p = new CliProcess(Process.Start(psi)!);
        p._process.OutputDataReceived += (_, e) => p.Append(e.Data);
        p._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Interlocked.Increment(ref p._errorLines); p.Append(e.Data); };
        p._process.BeginOutputReadLine();
        p._process.BeginErrorReadLine();
        return p;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_out) _out.Append(line).Append('\n');
    }

    /// <summary>Waits until <paramref name="condition"/> holds; false on timeout or when the process ended first.</summary>
    public bool WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (condition()) return true;
            if (_process.HasExited) return condition();
            Thread.Sleep(20);
        }
        return false;
    }

    /// <summary>Sends a signal by name (USR1, TERM, KILL) with the kill command.</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start("kill", [$"-{name}", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    /// <summary>Waits for the exit and returns the exit code; kills the process after <paramref name="timeout"/>.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill();
            throw new TimeoutException($"hpclearn did not exit within {timeout.TotalSeconds} s; output:\n{Output}");
        }
        _process.WaitForExit(); // flushes the asynchronous output readers
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
    }
}
