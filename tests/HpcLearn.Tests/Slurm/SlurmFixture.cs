using System.Diagnostics;
using System.Runtime.CompilerServices;
using HpcLearn.Cluster;
using Xunit;
using Xunit.Abstractions;

namespace HpcLearn.Tests.Slurm;

/// <summary>
/// Helpers for the tests against a real Slurm (start one with <c>scripts/local-slurm.sh start</c>;
/// .ci/run does). Without sbatch they say so and the test returns. With sbatch but no answering
/// controller they say so too on a developer's machine, but fail under CI (CI=true), which starts
/// Slurm itself and must not pass by skipping.
/// </summary>
internal sealed class SlurmFixture(ITestOutputHelper output) : IDisposable
{
    private readonly ProcessCommandRunner _run = new();
    private readonly List<string> _jobs = new();

    /// <summary>True when Slurm is here; otherwise prints that the test was skipped.</summary>
    public bool Available([CallerMemberName] string test = "")
    {
        if (_run.Run("sbatch", ["--version"]).ExitCode == CommandResult.NotFound)
        {
            string message = $"SKIPPED {test}: sbatch not found (no Slurm here); start one with scripts/local-slurm.sh start";
            output.WriteLine(message);
            Console.WriteLine(message);
            throw new SkipException(message);
        }
        var sinfo = _run.Run("sinfo", ["-h", "-o", "%T"]);
        if (sinfo.Ok && sinfo.StdOut.Trim().Length > 0) return true;
        string why = $"sbatch is installed but Slurm does not answer ({sinfo.ErrorLine}); start it with scripts/local-slurm.sh start";
        Assert.True(Environment.GetEnvironmentVariable("CI") != "true", why);
        output.WriteLine($"SKIPPED {test}: {why}");
        Console.WriteLine($"SKIPPED {test}: {why}");
        throw new SkipException(why);
    }

    /// <summary>Remembers a job so that it is cancelled if the test ends early.</summary>
    public string Track(string jobId)
    {
        _jobs.Add(jobId);
        return jobId;
    }

    /// <summary>Runs a Slurm command and returns its output; fails the test when it fails.</summary>
    public string Run(string program, params string[] args)
    {
        var r = _run.Run(program, args);
        Assert.True(r.Ok, $"{program} {string.Join(' ', args)}: {r.ErrorLine}");
        return r.StdOut;
    }

    /// <summary>Waits until squeue no longer lists the job (finished, failed or cancelled).</summary>
    public void WaitGone(string jobId, TimeSpan timeout, Func<string>? diagnostics = null)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var r = _run.Run("squeue", ["-h", "-j", jobId, "-o", "%T"]);
            if (r.Ok && r.StdOut.Trim().Length == 0) return;
            Thread.Sleep(300);
        }
        Assert.Fail($"job {jobId} still queued or running after {timeout.TotalSeconds} s\n{diagnostics?.Invoke()}");
    }

    /// <summary>Waits until <paramref name="condition"/> holds.</summary>
    public static void WaitUntil(Func<bool> condition, TimeSpan timeout, Func<string> what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout) Assert.Fail($"timed out after {timeout.TotalSeconds} s: {what()}");
            Thread.Sleep(100);
        }
    }

    /// <summary>A key of <c>scontrol show job</c> (e.g. JobState, Restarts).</summary>
    public string Field(string jobId, string key)
    {
        var fields = Run("scontrol", "show", "job", "-o", jobId).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.FirstOrDefault(f => f.StartsWith(key + "=", StringComparison.Ordinal))?[(key.Length + 1)..] ?? "";
    }

    public static string Read(string path) => File.Exists(path) ? File.ReadAllText(path) : $"({path} does not exist)";

    public void Dispose()
    {
        foreach (var id in _jobs) _run.Run("scancel", [id]);
    }
}
