using System.Diagnostics;
using HpcLearn.Tests.Data;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;

using HpcLearn.Tests.Training;

namespace HpcLearn.Tests.Runs;

public sealed class RunFolderTests
{
    [Fact]
    public void A_new_run_creates_its_folder()
    {
        using var dir = new TempDir();
        var run = RunFolder.Open(Path.Combine(dir.Path, "runs"), "exp", resume: false, fresh: false);

        Assert.Equal(Path.Combine(dir.Path, "runs", "exp"), run.Root);
        Assert.True(Directory.Exists(run.Root));
        Assert.Equal(Path.Combine(run.Root, "checkpoints"), run.CheckpointDir);
        Assert.Equal(Path.Combine(run.Root, "model"), run.ModelDir);
    }

    [Fact]
    public void An_empty_existing_folder_is_reused()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(Path.Combine(dir.Path, "exp"));
        Assert.Equal(Path.Combine(dir.Path, "exp"), RunFolder.Open(dir.Path, "exp", false, false).Root);
    }

    [Fact]
    public void A_used_folder_without_resume_is_a_user_error_and_is_left_alone()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "exp");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "metrics.csv"), "epoch\n1\n");

        var e = Assert.Throws<UserError>(() => RunFolder.Open(dir.Path, "exp", resume: false, fresh: false));

        Assert.Equal($"run folder '{path}' already exists; add --resume to continue it, or choose another name (--set name=...) or --out DIR", e.Message);
        Assert.Equal("epoch\n1\n", File.ReadAllText(Path.Combine(path, "metrics.csv")));
    }

    [Fact]
    public void Fresh_takes_the_next_free_name()
    {
        using var dir = new TempDir();
        foreach (var name in new[] { "exp", "exp-2" })
        {
            Directory.CreateDirectory(Path.Combine(dir.Path, name));
            File.WriteAllText(Path.Combine(dir.Path, name, "config.yaml"), "");
        }

        Assert.Equal(Path.Combine(dir.Path, "exp-3"), RunFolder.Open(dir.Path, "exp", resume: false, fresh: true).Root);
        File.WriteAllText(Path.Combine(dir.Path, "exp-3", "config.yaml"), "");
        Assert.Equal(Path.Combine(dir.Path, "exp-4"), RunFolder.Open(dir.Path, "exp", resume: false, fresh: true).Root);
    }

    [Fact]
    public void Fresh_on_an_unused_name_keeps_the_name()
    {
        using var dir = new TempDir();
        Assert.Equal(Path.Combine(dir.Path, "exp"), RunFolder.Open(dir.Path, "exp", resume: false, fresh: true).Root);
    }

    [Fact]
    public void Resume_opens_an_existing_folder_and_refuses_a_missing_one()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "exp");

        var e = Assert.Throws<UserError>(() => RunFolder.Open(dir.Path, "exp", resume: true, fresh: false));
        Assert.Equal($"--resume: run folder '{path}' does not exist; start the run without --resume first", e.Message);
        Assert.False(Directory.Exists(path));

        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "config.yaml"), "x");
        Assert.Equal(path, RunFolder.Open(dir.Path, "exp", resume: true, fresh: false).Root);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("..")]
    public void A_name_that_is_not_a_plain_folder_name_is_a_user_error(string name)
    {
        using var dir = new TempDir();
        var e = Assert.Throws<UserError>(() => RunFolder.Open(dir.Path, name, false, false));
        Assert.Equal($"run name '{name}' must be a plain folder name (no '/'); set name: in the config", e.Message);
    }

    [Fact]
    public void The_opener_holds_the_lock_until_disposed_and_bookkeeping_does_not_start_a_run()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "exp");
        var first = RunFolder.Open(dir.Path, "exp", resume: false, fresh: false);
        Assert.False(RunFolder.IsStarted(path), "lock files alone are not a started run");

        var e = Assert.Throws<UserError>(() => RunFolder.Open(dir.Path, "exp", resume: true, fresh: false));
        Assert.StartsWith($"run folder '{path}' is in use by pid {Environment.ProcessId} on host ", e.Message);
        Assert.Equal(Path.Combine(dir.Path, "exp-2"), RunFolder.Open(dir.Path, "exp", resume: false, fresh: true).Root);

        first.Dispose();
        using var again = RunFolder.Open(dir.Path, "exp", resume: true, fresh: false);
    }

    [Fact]
    public void Restarting_a_failed_attempt_moves_its_files_aside_and_keeps_the_job_files()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "exp");
        Directory.CreateDirectory(Path.Combine(path, "checkpoints"));
        File.WriteAllText(Path.Combine(path, "config.yaml"), "seed: 1\n");
        File.WriteAllText(Path.Combine(path, "checkpoints", "epoch-0001.ckpt"), "damaged");
        File.WriteAllText(Path.Combine(path, "job.log"), "the job's own log\n");
        var log = new StringWriter();

        using (var run = RunFolder.Open(dir.Path, "exp", resume: false, fresh: false, restartFailedAttempt: true, log))
        {
            string aside = Assert.Single(Directory.GetDirectories(path, RunFolder.AttemptPrefix + "*"));
            Assert.Equal($"no valid checkpoint in {run.CheckpointDir}: starting the run again; the earlier attempt's files are kept in {aside}{Environment.NewLine}", log.ToString());
            Assert.Equal("seed: 1\n", File.ReadAllText(Path.Combine(aside, "config.yaml")));
            Assert.Equal("damaged", File.ReadAllText(Path.Combine(aside, "checkpoints", "epoch-0001.ckpt")));
            Assert.Equal("the job's own log\n", File.ReadAllText(Path.Combine(path, "job.log")));
            Assert.False(Directory.Exists(run.CheckpointDir));
            Assert.False(RunFolder.IsStarted(path));
        }
        // Without the restart, a started folder is still refused.
        File.WriteAllText(Path.Combine(path, "config.yaml"), "seed: 2\n");
        Assert.Throws<UserError>(() => RunFolder.Open(dir.Path, "exp", resume: false, fresh: false));
    }

    [Fact]
    public void Opening_sweeps_what_dead_writers_left_and_keeps_what_live_ones_write()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "exp");
        Directory.CreateDirectory(Path.Combine(path, "checkpoints"));
        using var gone = Process.Start("true")!;
        gone.WaitForExit();
        string dead = Path.Combine(path, "checkpoints", $".epoch-0002.ckpt.{gone.Id}.{Guid.NewGuid():N}.tmp");
        string mine = Path.Combine(path, $".config.yaml.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp"); // an earlier process with this id
        using var alive = Process.Start("sleep", "30")!;
        string live = Path.Combine(path, $".report.html.{alive.Id}.{Guid.NewGuid():N}.tmp");
        string notOurs = Path.Combine(path, ".notes.tmp");
        foreach (var f in new[] { dead, mine, live, notOurs }) File.WriteAllText(f, "x");
        Directory.CreateDirectory(Path.Combine(path, "model.tmp-1234abcd"));
        Directory.CreateDirectory(Path.Combine(path, "model.old-5678abcd"));
        File.WriteAllText(Path.Combine(path, "model.old-5678abcd", "model.json"), "{}");
        var log = new StringWriter();
        try
        {
            using var run = RunFolder.Open(dir.Path, "exp", resume: true, fresh: false, restartFailedAttempt: false, log);

            Assert.False(File.Exists(dead));
            Assert.False(File.Exists(mine));
            Assert.True(File.Exists(live));
            Assert.True(File.Exists(notOurs));
            Assert.False(Directory.Exists(Path.Combine(path, "model.tmp-1234abcd")));
            // A replacement cut between its two renames: the previous model goes back in place.
            Assert.Equal("{}", File.ReadAllText(Path.Combine(run.ModelDir, "model.json")));
            Assert.Empty(Directory.GetDirectories(path, "model.old-*"));
            Assert.Contains($"restored {run.ModelDir} from {Path.Combine(path, "model.old-5678abcd")}", log.ToString());
            Assert.Contains($"removed 3 temporary files (0.0 MB) left in {path} by an earlier run that was cut short", log.ToString());
        }
        finally
        {
            alive.Kill();
        }
    }
}
