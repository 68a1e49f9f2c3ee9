using System.Diagnostics;
using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace HpcLearn.Tests.Cluster;

/// <summary>
/// Starts tests/HpcLearn.MpiProbe (built with the tests) under a real
/// <c>mpirun --allow-run-as-root --oversubscribe -np N -x TERM=dumb</c> on localhost, or alone.
/// Tests call <see cref="Missing"/> first: without mpirun they print that they were skipped.
/// </summary>
internal static class MpiRun
{
    /// <summary>The outcome of one launch.</summary>
    public sealed record Result(int ExitCode, string Output, TimeSpan Elapsed, bool TimedOut);

    public static string? Mpirun { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Select(d => Path.Combine(d, "mpirun"))
        .FirstOrDefault(File.Exists);

    /// <summary>MPICH's launcher (Debian's <c>mpich</c> package installs it beside Open MPI's <c>mpirun</c>).</summary>
    public static string? MpichLauncher { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Select(d => Path.Combine(d, "mpiexec.mpich"))
        .FirstOrDefault(File.Exists);

    /// <summary>True (after printing why) when MPICH's mpiexec is not installed.</summary>
    public static bool MpichMissing(ITestOutputHelper output)
    {
        if (MpichLauncher is not null) return false;
        const string why = "mpiexec.mpich is not on PATH, so this MPICH test did not run. Install MPICH (apt-get install mpich) to run it.";
        output.WriteLine("SKIPPED: " + why);
        throw new SkipException(why);
    }

    /// <summary>Runs the probe on <paramref name="ranks"/> ranks under MPICH's <c>mpiexec</c> (no HPCLEARN_LIBMPI: the library follows the launcher).</summary>
    public static Result MpichRanks(int ranks, TimeSpan limit, params string[] args)
        => Start(MpichLauncher!, ["-n", ranks.ToString(), "-env", "TERM", "dumb", "dotnet", Probe, .. args], limit);

    /// <summary>True (after printing why) when mpirun is not installed.</summary>
    public static bool Missing(ITestOutputHelper output)
    {
        if (Mpirun is not null) return false;
        const string why = "mpirun is not on PATH, so this MPI test did not run. Install Open MPI (apt-get install openmpi-bin libopenmpi-dev) or load an MPI module to run it.";
        output.WriteLine("SKIPPED: " + why);
        throw new SkipException(why);
    }

    /// <summary>The probe's dll, in the same configuration and runtime folder as this test assembly.</summary>
    public static string Probe
    {
        get
        {
            string here = Path.GetDirectoryName(typeof(MpiRun).Assembly.Location)!;
            string dll = Path.Combine(here.Replace(Path.Combine("tests", "HpcLearn.Tests"), Path.Combine("tests", "HpcLearn.MpiProbe")), "HpcLearn.MpiProbe.dll");
            Assert.True(File.Exists(dll), $"MPI probe not built at {dll}");
            return dll;
        }
    }

    /// <summary>Runs the probe on <paramref name="ranks"/> ranks; kills the whole job after <paramref name="limit"/>.</summary>
    public static Result Ranks(int ranks, TimeSpan limit, params string[] args)
        => Start(Mpirun!, ["--allow-run-as-root", "--oversubscribe", "-np", ranks.ToString(), "-x", "TERM=dumb", "dotnet", Probe, .. args], limit);

    /// <summary>Runs the hpclearn command itself (HpcLearn.Cli.dll, copied beside the tests) on <paramref name="ranks"/> ranks.</summary>
    public static Result Cli(int ranks, TimeSpan limit, params string[] args) => CliWith(ranks, limit, new Dictionary<string, string>(), args);

    /// <summary>As <see cref="Cli"/>, with environment variables exported to every rank (mpirun's <c>-x NAME=VALUE</c>).</summary>
    public static Result CliWith(int ranks, TimeSpan limit, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        string[] exports = environment.SelectMany(kv => new[] { "-x", $"{kv.Key}={kv.Value}" }).ToArray();
        string dll = Path.Combine(Path.GetDirectoryName(typeof(MpiRun).Assembly.Location)!, "HpcLearn.Cli.dll");
        return Start(Mpirun!, ["--allow-run-as-root", "--oversubscribe", "-np", ranks.ToString(), "-x", "TERM=dumb", .. exports, "dotnet", dll, .. args], limit);
    }

    /// <summary>
    /// Runs the hpclearn command with other arguments on each rank (mpirun's <c>-np 1 A : -np 1 B</c>),
    /// each rank printing <c>rank exit code N</c> as it ends, so a test sees every rank's exit code.
    /// </summary>
    public static Result CliPerRank(TimeSpan limit, params string[][] argsPerRank)
    {
        string dll = Path.Combine(Path.GetDirectoryName(typeof(MpiRun).Assembly.Location)!, "HpcLearn.Cli.dll");
        const string script = "dotnet \"$@\"; rc=$?; echo \"rank exit code $rc\"; exit $rc";
        var args = new List<string> { "--allow-run-as-root", "--oversubscribe", "-x", "TERM=dumb" };
        for (int r = 0; r < argsPerRank.Length; r++)
        {
            if (r > 0) args.Add(":");
            args.AddRange(["-np", "1", "bash", "-c", script, "bash", dll, .. argsPerRank[r]]);
        }
        return Start(Mpirun!, [.. args], limit);
    }

    /// <summary>Runs the probe as one plain process (no MPI).</summary>
    public static Result Alone(TimeSpan limit, params string[] args) => Start("dotnet", [Probe, .. args], limit);

    /// <summary>Runs <paramref name="program"/>, killing it and its children after <paramref name="limit"/>; each output line goes to <paramref name="onLine"/> as it comes.</summary>
    internal static Result Start(string program, string[] args, TimeSpan limit, Action<string>? onLine = null)
    {
        var psi = new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["TERM"] = "dumb";
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("OMPI_", StringComparison.Ordinal) || k.StartsWith("PMI", StringComparison.Ordinal) || k == "HPCLEARN_LIBMPI").ToList())
            psi.Environment.Remove(key); // in case the tests themselves run under mpirun
        var output = new StringBuilder();
        var clock = Stopwatch.StartNew();
        using var p = new Process { StartInfo = psi };
        void Line(string? text)
        {
            if (text is null) return;
            lock (output) output.AppendLine(text);
            onLine?.Invoke(text);
        }
        p.OutputDataReceived += (_, e) => Line(e.Data);
        p.ErrorDataReceived += (_, e) => Line(e.Data);
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        bool exited = p.WaitForExit(limit);
        if (!exited) p.Kill(entireProcessTree: true);
        p.WaitForExit();
        lock (output) return new Result(exited ? p.ExitCode : -1, output.ToString(), clock.Elapsed, !exited);
    }
}

/// <summary>MPI tests share the machine's cores: they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MpiCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "mpi";
}
