using System.Diagnostics;
using System.Text.Json;
using HpcLearn.Cluster;
using Xunit;
using Xunit.Abstractions;

namespace HpcLearn.Tests.Cluster;

/// <summary>
/// The two-host test bed (<c>scripts/two-hosts.sh</c>): network namespaces hpcl-node1 (192.0.2.1)
/// and hpcl-node2 (192.0.2.2) joined by a veth pair, mpirun in node1 with one slot per host, so
/// rank 0 runs on node1 and rank 1 on node2 and every MPI byte between them goes over TCP on the
/// veth. Started once per test class (a lease held by this test process) and stopped at its end;
/// where it cannot run (not root, no <c>ip</c>, no Open MPI) every test says why and is skipped.
/// </summary>
public sealed class TwoHostBed : IDisposable
{
    private readonly string? _skip;
    private readonly string? _failure;
    private bool _started;

    /// <summary>Checks the machine and starts the bed when it can run here.</summary>
    public TwoHostBed()
    {
        string? script = FindScript();
        if (script is null) { _skip = "scripts/two-hosts.sh was not found above the test assembly"; return; }
        Script = script;
        var check = Bed("check");
        if (check.ExitCode != 0) { _skip = check.StdErr.Trim(); return; }
        var start = Bed("start");
        if (start.ExitCode != 0) { _failure = $"scripts/two-hosts.sh start failed (exit {start.ExitCode}): {start.StdErr.Trim()}"; return; }
        _started = true;
    }

    /// <summary>The script's absolute path.</summary>
    public string Script { get; } = "";

    /// <summary>Skips the test with the reason when the bed cannot run here; fails it when the bed would not start.</summary>
    public void Require(ITestOutputHelper output)
    {
        if (_skip is not null)
        {
            output.WriteLine("SKIPPED: " + _skip);
            throw new SkipException(_skip);
        }
        Assert.True(_failure is null, _failure);
    }

    /// <summary>The MPI probe on 2 ranks, one per host.</summary>
    internal MpiRun.Result Probe(TimeSpan limit, params string[] args) => Mpirun(limit, ["dotnet", MpiRun.Probe, .. args]);

    /// <summary>hpclearn (HpcLearn.Cli.dll beside the tests) on 2 ranks, one per host.</summary>
    internal MpiRun.Result Cli(TimeSpan limit, params string[] args)
        => Mpirun(limit, ["dotnet", Path.Combine(Path.GetDirectoryName(typeof(TwoHostBed).Assembly.Location)!, "HpcLearn.Cli.dll"), .. args]);

    /// <summary>mpirun -np 2 across the hosts with <paramref name="command"/>; each line goes to <paramref name="onLine"/> as it comes.</summary>
    internal MpiRun.Result Mpirun(TimeSpan limit, string[] command, Action<string>? onLine = null)
        => MpiRun.Start(Script, ["mpirun", "-np", "2", "-x", "TERM=dumb", .. command], limit, onLine);

    /// <summary>The processes running in host <paramref name="node"/> (1 or 2), with their command lines.</summary>
    public IReadOnlyList<(int Pid, string CommandLine)> Processes(int node)
    {
        var r = Bed("pids", node.ToString());
        Assert.True(r.ExitCode == 0, r.StdErr);
        var list = new List<(int, string)>();
        foreach (var word in r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int pid = int.Parse(word);
            try { list.Add((pid, File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim())); }
            catch (IOException) { } // ended meanwhile
        }
        return list;
    }

    /// <summary>Takes host <paramref name="node"/>'s end of the link down (silently, as a pulled cable) or back up.</summary>
    public void Link(int node, bool up)
    {
        var r = Bed("link", node.ToString(), up ? "up" : "down");
        Assert.True(r.ExitCode == 0, r.StdErr);
    }

    /// <summary>Bytes sent and received on node1's end of the link (the veth's own counters).</summary>
    public (long Sent, long Received) Traffic()
    {
        var r = Run("ip", "-j", "-s", "-n", "hpcl-node1", "link", "show", "hpcl-veth1");
        Assert.True(r.ExitCode == 0, r.StdErr);
        var stats = JsonDocument.Parse(r.StdOut).RootElement[0].GetProperty("stats64");
        return (stats.GetProperty("tx").GetProperty("bytes").GetInt64(), stats.GetProperty("rx").GetProperty("bytes").GetInt64());
    }

    /// <summary>Gives this process's lease back: the bed comes down unless another user holds it.</summary>
    public void Dispose()
    {
        if (!_started) return;
        _started = false;
        Bed("stop");
    }

    private CommandResult Bed(params string[] args) => Run(Script, args);

    // The lease follows this test process, so a crashed test run leaves a lease that the next stop drops.
    private static CommandResult Run(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["TWO_HOSTS_LEASE"] = Environment.ProcessId.ToString();
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromSeconds(60))) p.Kill(entireProcessTree: true);
        p.WaitForExit();
        return new CommandResult(p.ExitCode, stdout, stderr.Result);
    }

    private static string? FindScript()
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(typeof(TwoHostBed).Assembly.Location)!); dir is not null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, "scripts", "two-hosts.sh");
            if (File.Exists(path)) return path;
        }
        return null;
    }
}
