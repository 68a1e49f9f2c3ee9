using HpcLearn.Cli;
using HpcLearn.Cluster;
using HpcLearn.Tests.Cluster;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Cli;

/// <summary><c>hpclearn cancel</c> and <c>hpclearn logs</c> on run and sweep folders, with Slurm faked.</summary>
public sealed class CliCancelLogsTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static CliHost Host(FakeCommands commands) => new() { Environment = new Dictionary<string, string>(), Commands = commands };

    private string Run(string name, string? jobId = null, string? pid = null, string? log = null)
    {
        var run = Directory.CreateDirectory(_tmp[Path.Combine("runs", name)]).FullName;
        if (jobId is not null) File.WriteAllText(Path.Combine(run, "job.id"), jobId);
        if (pid is not null) File.WriteAllText(Path.Combine(run, "job.pid"), pid);
        if (log is not null) File.WriteAllText(Path.Combine(run, "job.log"), log);
        return run;
    }

    // Points 0-3 submitted as array 900; points 1 and 3 again as array 950 (--rerun-failed).
    private string Sweep()
    {
        var dir = Run("s-sweep", jobId: "950");
        File.WriteAllText(Path.Combine(dir, "points.tsv"), "0\tseed=1\n1\tseed=2\n2\tseed=3\n3\tseed=4\n");
        File.WriteAllText(Path.Combine(dir, "job.arrays"), "900\t0-3%2\n950\t1,3\n");
        for (int i = 0; i < 4; i++) Directory.CreateDirectory(Path.Combine(dir, i.ToString()));
        File.WriteAllText(Path.Combine(dir, "3", "job.log"), "epoch 1/5 ...\n");
        return dir;
    }

    [Fact]
    public void Cancel_scancels_the_job_of_a_run_and_sends_term_to_a_local_one()
    {
        var run = Run("a", jobId: "4242");
        var commands = new FakeCommands().On("scancel", "").On("kill", "");

        var r = Cli.Run(Host(commands), "cancel", run).AssertOk();

        Assert.Equal("cancelled job 4242: its training checkpoints and stops (exit code 3) if it was running\n" +
            $"see where it stopped: hpclearn status {run}\n", r.Out);
        var local = Run("l", pid: "777");
        Assert.StartsWith("sent TERM to local job pid 777: its training checkpoints and stops (exit code 3)\n",
            Cli.Run(Host(commands), "cancel", local).AssertOk().Out);
        Assert.Equal(["scancel 4242", "kill -TERM 777"], commands.Calls);
    }

    [Fact]
    public void Cancel_of_a_sweep_cancels_every_array_or_with_point_one_task_of_the_newest_array_that_runs_it()
    {
        var dir = Sweep();
        var commands = new FakeCommands().On("scancel", "");

        var all = Cli.Run(Host(commands), "cancel", dir).AssertOk();
        var one = Cli.Run(Host(commands), "cancel", dir, "--point", "3").AssertOk();
        var first = Cli.Run(Host(commands), "cancel", dir, "--point", "2").AssertOk();

        Assert.StartsWith("cancelled job array 900 (points 0-3)\ncancelled job array 950 (points 1,3)\n", all.Out);
        Assert.StartsWith("cancelled point 3 (job 950_3)", one.Out);
        Assert.StartsWith("cancelled point 2 (job 900_2)", first.Out);
        Assert.Equal(["scancel 900", "scancel 950", "scancel 950_3", "scancel 900_2"], commands.Calls);
    }

    [Fact]
    public void Cancel_mistakes_are_one_line()
    {
        var commands = new FakeCommands().On("scancel", _ => new CommandResult(1, "", "scancel: error: Invalid job id specified"));
        var bare = Run("bare");
        Cli.Run(Host(commands), "cancel", bare).AssertUserError(
            $"'{bare}' has no job to cancel (no job.id or job.pid): it was not started by submit or sweep");
        Cli.Run(Host(commands), "cancel", Run("p", jobId: "1"), "--point", "0").AssertUserError(
            $"--point: '{_tmp[Path.Combine("runs", "p")]}' is a run folder, not a sweep folder (it has no points.tsv); cancel it without --point");
        Cli.Run(Host(commands), "cancel", Sweep(), "--point", "9").AssertUserError($"--point 9: sweep '{_tmp[Path.Combine("runs", "s-sweep")]}' has points 0-3");
        Cli.Run(Host(commands), "cancel", Run("e", jobId: "5")).AssertUserError("scancel 5 failed: scancel: error: Invalid job id specified");
        Cli.Run(Host(commands), "cancel", _tmp["nope"]).AssertUserError($"run folder '{_tmp["nope"]}' does not exist");
    }

    [Fact]
    public void Logs_prints_the_job_log_of_a_run_or_of_one_sweep_point()
    {
        var run = Run("g", jobId: "7", log: "line 1\nline 2\n");
        var dir = Sweep();
        var commands = new FakeCommands();

        Assert.Equal("line 1\nline 2\n", Cli.Run(Host(commands), "logs", run).AssertOk().Out);
        Assert.Equal("epoch 1/5 ...\n", Cli.Run(Host(commands), "logs", dir, "--point", "3").AssertOk().Out);
        Cli.Run(Host(commands), "logs", dir).AssertUserError($"'{dir}' is a sweep folder: give the point whose log to print, --point N (0-3)");
        Cli.Run(Host(commands), "logs", dir, "--point", "2").AssertUserError(
            $"no log yet: '{Path.Combine(dir, "2", "job.log")}' does not exist (the run was not started by submit or sweep, or its job has not started)");
        Assert.DoesNotContain(commands.Calls, c => c.StartsWith("scancel", StringComparison.Ordinal));
    }

    [Fact]
    public void Logs_follow_prints_what_the_job_adds_until_it_leaves_the_queue()
    {
        var run = Run("f", jobId: "12", log: "started\n");
        var log = Path.Combine(run, "job.log");
        int asked = 0;
        // The first look finds the job running and the log growing; the second finds it gone.
        var commands = new FakeCommands().On("squeue", _ =>
        {
            if (++asked > 1) return new CommandResult(0, "", "");
            File.AppendAllText(log, "epoch 1/2\n");
            return new CommandResult(0, "RUNNING|N/A|0:01:00|None|N/A\n", "");
        }).On("scontrol", _ =>
        {
            File.AppendAllText(log, asked == 2 ? "hpclearn exited with code 0\n" : "");
            return new CommandResult(1, "", "Invalid job id specified");
        });

        var r = Cli.Run(Host(commands), "logs", run, "--follow").AssertOk();

        Assert.Equal("started\nepoch 1/2\nhpclearn exited with code 0\n", r.Out);
        Assert.Equal(2, asked);
    }
}
