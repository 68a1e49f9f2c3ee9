using System.Diagnostics;
using System.Text.Json;
using HpcLearn.Tests.Data;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;

using HpcLearn.Tests.Training;

namespace HpcLearn.Tests.Runs;

public sealed class RunFolderLockTests
{
    private static string Holder(int pid, string host, DateTime processStart) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["pid"] = pid, ["host"] = host, ["since"] = "2026-01-02 03:04:05 UTC", ["process_start"] = processStart,
    });

    private static int DeadPid()
    {
        using var p = Process.Start("true")!;
        p.WaitForExit();
        return p.Id;
    }

    [Fact]
    public void A_held_folder_is_refused_naming_the_holder_until_released()
    {
        using var dir = new TempDir();
        var log = new StringWriter();
        var first = RunFolderLock.Acquire(dir.Path, log);
        string holder = File.ReadAllText(Path.Combine(dir.Path, RunFolderLock.HolderFileName));
        Assert.Contains($"\"pid\": {Environment.ProcessId}", holder);
        Assert.Contains($"\"host\": \"{Environment.MachineName}\"", holder);

        Assert.Null(RunFolderLock.TryAcquire(dir.Path, log, out string? refusal));
        Assert.StartsWith($"run folder '{dir.Path}' is in use by pid {Environment.ProcessId} on host {Environment.MachineName} since ", refusal);
        Assert.EndsWith("; wait for it to finish or stop it", refusal);
        Assert.Equal(refusal, RunFolderLock.InUse(dir.Path));
        Assert.Equal(refusal, Assert.Throws<UserError>(() => RunFolderLock.Acquire(dir.Path, log)).Message);

        first.Dispose();
        Assert.False(File.Exists(Path.Combine(dir.Path, RunFolderLock.HolderFileName)));
        Assert.Null(RunFolderLock.InUse(dir.Path));
        using var second = RunFolderLock.Acquire(dir.Path, log);
        Assert.Equal("", log.ToString());
    }

    [Fact]
    public void A_lock_left_by_a_dead_process_on_this_host_is_taken_over_with_one_warning()
    {
        using var dir = new TempDir();
        int dead = DeadPid();
        File.WriteAllText(Path.Combine(dir.Path, RunFolderLock.HolderFileName), Holder(dead, Environment.MachineName, DateTime.UtcNow));
        var log = new StringWriter();

        using var held = RunFolderLock.Acquire(dir.Path, log);

        Assert.Equal($"warning: run folder '{dir.Path}' was locked by pid {dead} on this host since 2026-01-02 03:04:05 UTC, which is no longer running; taking the lock over{Environment.NewLine}", log.ToString());
        Assert.Contains($"\"pid\": {Environment.ProcessId}", File.ReadAllText(Path.Combine(dir.Path, RunFolderLock.HolderFileName)));
    }

    [Fact]
    public void A_process_id_reused_by_another_process_is_not_the_holder()
    {
        using var dir = new TempDir();
        using var other = Process.Start("sleep", "30")!;
        try
        {
            // Same id, but that process started a day after the lock's holder did.
            File.WriteAllText(Path.Combine(dir.Path, RunFolderLock.HolderFileName), Holder(other.Id, Environment.MachineName, DateTime.UtcNow.AddDays(-1)));
            var log = new StringWriter();
            using var held = RunFolderLock.Acquire(dir.Path, log);
            Assert.Contains("which is no longer running; taking the lock over", log.ToString());
        }
        finally
        {
            other.Kill();
        }
    }

    [Fact]
    public void A_live_holder_on_this_host_is_refused_even_where_the_file_system_did_not_enforce_the_os_lock()
    {
        using var dir = new TempDir();
        // This process, still running, named as the holder, but no OS lock held: a file system that ignores flock.
        var self = Process.GetCurrentProcess();
        File.WriteAllText(Path.Combine(dir.Path, RunFolderLock.HolderFileName), Holder(self.Id, Environment.MachineName, self.StartTime.ToUniversalTime()));

        var e = Assert.Throws<UserError>(() => RunFolderLock.Acquire(dir.Path, TextWriter.Null));

        Assert.Equal($"run folder '{dir.Path}' is in use by pid {self.Id} on host {Environment.MachineName} since 2026-01-02 03:04:05 UTC; wait for it to finish or stop it", e.Message);
    }

    [Fact]
    public void A_lock_of_another_host_that_no_longer_holds_the_os_lock_is_taken_over_with_one_warning()
    {
        using var dir = new TempDir();
        File.WriteAllText(Path.Combine(dir.Path, RunFolderLock.HolderFileName), Holder(4242, "node-017", DateTime.UtcNow));
        var log = new StringWriter();

        using var held = RunFolderLock.Acquire(dir.Path, log);

        Assert.Equal($"warning: run folder '{dir.Path}' was locked by pid 4242 on host node-017 since 2026-01-02 03:04:05 UTC, which no longer holds the lock (it ended without releasing it); taking the lock over{Environment.NewLine}", log.ToString());
    }
}
