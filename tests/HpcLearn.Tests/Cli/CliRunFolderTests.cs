using System.Diagnostics;
using HpcLearn.Cli;
using HpcLearn.Cluster;
using HpcLearn.Tests.Cluster;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Tests.Training;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;
using Xunit.Abstractions;

namespace HpcLearn.Tests.Cli;

/// <summary>
/// <c>hpclearn train</c> against hostile run folders: an attempt killed before its first checkpoint,
/// every checkpoint damaged, a second writer while the first runs, leftovers of killed writers, a
/// full disk, a read-only file system, a file where the runs folder should be.
/// </summary>
public sealed class CliRunFolderTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private string Runs => _tmp["runs"];

    private static string Yaml(string name, int epochs = 2, string train = "") =>
        Cli.TinyYaml(name, epochs).Replace($"{{epochs: {epochs}}}", $"{{epochs: {epochs}{train}}}");

    /// <summary>The id of a process that has ended (and been reaped).</summary>
    private static int DeadPid()
    {
        using var p = Process.Start("true")!;
        p.WaitForExit();
        return p.Id;
    }

    private static string[] Temporaries(string folder) => Directory.GetFiles(folder, ".*.tmp", SearchOption.AllDirectories)
        .Concat(Directory.GetDirectories(folder, "model.tmp-*", SearchOption.AllDirectories)).ToArray();

    [SkippableFact]
    public void A_run_killed_before_its_first_checkpoint_starts_again_with_resume_if_possible_keeping_its_files_aside()
    {
        // checkpoint_every 1000: no checkpoint until the end, so a SIGKILL now leaves none.
        string config = _tmp.Write("k.yaml", Yaml("k", epochs: 1000, train: ", checkpoint_every: 1000"));
        string run = Path.Combine(Runs, "k");
        int killed;
        using (var p = CliProcess.Start("train", config, "--out", Runs, "--threads", "1"))
        {
            Assert.True(p.WaitUntil(() => p.Output.Contains("epoch 2/1000"), TimeSpan.FromSeconds(90)), p.Output);
            killed = p.Pid;
            p.Signal("KILL");
            p.WaitForExit(TimeSpan.FromSeconds(30));
        }
        Assert.Empty(Directory.GetFiles(run, "*.ckpt", SearchOption.AllDirectories));
        string oldConfig = File.ReadAllText(Path.Combine(run, "config.yaml"));

        // --resume says what to do; a plain start refuses to overwrite; neither writes anything.
        Cli.Run("train", config, "--out", Runs, "--resume").AssertUserError(RunFolder.NoValidCheckpoint(Path.Combine(run, "checkpoints")).Message);
        Assert.Contains("--resume-if-possible instead of --resume", RunFolder.NoValidCheckpoint("x").Message);
        Cli.Run("train", config, "--out", Runs).AssertUserErrorStartsWith($"run folder '{run}' already exists");

        var r = Cli.Run("train", config, "--out", Runs, "--resume-if-possible", "--set", "train.epochs=2").AssertOk();

        Assert.Contains($"warning: run folder '{run}' was locked by pid {killed} on this host since ", r.Out);
        string aside = Assert.Single(Directory.GetDirectories(run, RunFolder.AttemptPrefix + "*"));
        Assert.Contains($"no valid checkpoint in {Path.Combine(run, "checkpoints")}: starting the run again; the earlier attempt's files are kept in {aside}{Environment.NewLine}", r.Out);
        Assert.Equal(oldConfig, File.ReadAllText(Path.Combine(aside, "config.yaml")));
        Assert.True(File.Exists(Path.Combine(aside, "metrics.csv")));
        Assert.Contains("epochs: 2", File.ReadAllText(Path.Combine(run, "config.yaml")));
        Assert.Equal(["1", "2"], File.ReadAllLines(Path.Combine(run, "metrics.csv")).Skip(1).Select(l => l.Split(',')[1]));
        Assert.True(File.Exists(Path.Combine(run, "model", ModelArtifact.ManifestFile)));
        Assert.False(File.Exists(Path.Combine(run, RunFolderLock.HolderFileName)), "the lock is released at exit");
        Assert.Empty(Temporaries(run));
    }

    [SkippableFact]
    public void With_every_checkpoint_damaged_resume_if_possible_starts_again_and_keeps_the_damaged_files()
    {
        string config = _tmp.Write("c.yaml", Yaml("c"));
        Cli.Run("train", config, "--out", Runs).AssertOk();
        string run = Path.Combine(Runs, "c"), checkpoints = Path.Combine(run, "checkpoints");
        foreach (var f in Directory.GetFiles(checkpoints)) File.WriteAllText(f, "cut short");
        string oldSummary = File.ReadAllText(Path.Combine(run, "summary.json"));

        var refused = Cli.Run("train", config, "--out", Runs, "--resume");
        refused.AssertUserError(RunFolder.NoValidCheckpoint(checkpoints).Message);
        Assert.Contains($"warning: checkpoint {Path.Combine(checkpoints, "epoch-0002.ckpt")} is not an HpcLearn checkpoint or truncated; no older valid checkpoint to fall back to", refused.Out);

        var r = Cli.Run("train", config, "--out", Runs, "--resume-if-possible").AssertOk();

        string aside = Assert.Single(Directory.GetDirectories(run, RunFolder.AttemptPrefix + "*"));
        Assert.Contains($"the earlier attempt's files are kept in {aside}", r.Out);
        Assert.Equal(["epoch-0001.ckpt", "epoch-0002.ckpt"], Directory.GetFiles(Path.Combine(aside, "checkpoints")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("cut short", File.ReadAllText(Path.Combine(aside, "checkpoints", "epoch-0002.ckpt")));
        Assert.Equal(oldSummary, File.ReadAllText(Path.Combine(aside, "summary.json")));
        Assert.True(CheckpointStore.TryRead(Path.Combine(checkpoints, "epoch-0002.ckpt"), out _, out _, out _, out var why), why);
    }

    [SkippableFact]
    public void A_second_train_on_a_folder_in_use_exits_2_naming_the_holder_and_changes_nothing()
    {
        string config = _tmp.Write("l.yaml", Yaml("l", epochs: 1000));
        string run = Path.Combine(Runs, "l");
        using var first = CliProcess.Start("train", config, "--out", Runs, "--threads", "1");
        Assert.True(first.WaitUntil(() => first.Output.Contains("epoch 1/1000"), TimeSpan.FromSeconds(90)), first.Output);
        string configBefore = File.ReadAllText(Path.Combine(run, "config.yaml"));

        string holder = $"run folder '{run}' is in use by pid {first.Pid} on host {Environment.MachineName} since ";
        Cli.Run("train", config, "--out", Runs, "--resume", "--set", "seed=5").AssertUserErrorStartsWith(holder);
        Cli.Run("train", config, "--out", Runs, "--resume-if-possible").AssertUserErrorStartsWith(holder);
        Cli.Run("train", config, "--out", Runs).AssertUserErrorStartsWith(holder);
        var r = Cli.Run("train", config, "--out", Runs, "--resume");
        Assert.EndsWith($"; wait for it to finish or stop it{Environment.NewLine}", r.Err);

        Assert.Equal(configBefore, File.ReadAllText(Path.Combine(run, "config.yaml")));
        Assert.Empty(Directory.GetDirectories(run, RunFolder.AttemptPrefix + "*"));
    }

    [SkippableFact]
    public void The_lock_is_released_when_training_stops_and_the_resume_leaves_no_temporary_files()
    {
        string config = _tmp.Write("s.yaml", Yaml("s", epochs: 3));
        // Stopped by the job's deadline at the first batch (a signal before training began would
        // stop it before the folder opens): the job ends in 60 s, inside the 120 s margin.
        var now = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
        var job = new Dictionary<string, string>
        {
            ["SLURM_JOB_ID"] = "77", ["SLURM_JOB_END_TIME"] = now.AddSeconds(60).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var host = new CliHost { Environment = job, Clock = new ManualClock(now), Commands = new FakeCommands().On("scontrol", ""), ListenForSignals = _ => StopSignals.None() };
        var stopped = Cli.Run(host, "train", config, "--out", Runs);
        Assert.True(stopped.ExitCode == CliApp.Stopped, stopped.ToString());
        string run = Path.Combine(Runs, "s");
        Assert.True(File.Exists(Path.Combine(run, RunFolderLock.FileName)), "the run held the lock");
        Assert.False(File.Exists(Path.Combine(run, RunFolderLock.HolderFileName)), "and released it");
        Assert.Null(RunFolderLock.InUse(run));

        Cli.Run("train", config, "--out", Runs, "--resume").AssertOk();

        Assert.True(File.Exists(Path.Combine(run, "summary.json")));
        Assert.Empty(Temporaries(run));
    }

    [SkippableFact]
    public void Temporary_files_of_killed_writers_are_swept_when_the_run_resumes()
    {
        string config = _tmp.Write("t.yaml", Yaml("t"));
        Cli.Run("train", config, "--out", Runs).AssertOk();
        string run = Path.Combine(Runs, "t");
        int dead = DeadPid();
        File.WriteAllBytes(Path.Combine(run, $".metrics.csv.{dead}.{Guid.NewGuid():N}.tmp"), new byte[1000]);
        File.WriteAllBytes(Path.Combine(run, "checkpoints", $".epoch-0003.ckpt.{dead}.{Guid.NewGuid():N}.tmp"), new byte[5000]);
        Directory.CreateDirectory(Path.Combine(run, "model.tmp-0badc0de"));
        File.WriteAllBytes(Path.Combine(run, "model.tmp-0badc0de", ModelArtifact.WeightsFile), new byte[4000]);
        using var alive = Process.Start("sleep", "60")!;
        string live = Path.Combine(run, $".summary.json.{alive.Id}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(live, "being written");
        try
        {
            var r = Cli.Run("train", config, "--out", Runs, "--resume").AssertOk();

            Assert.Contains($"removed 3 temporary files (0.0 MB) left in {run} by an earlier run that was cut short{Environment.NewLine}", r.Out);
            Assert.Equal([live], Temporaries(run));
        }
        finally
        {
            alive.Kill();
        }
    }

    [SkippableFact]
    public void A_file_where_the_runs_folder_should_be_is_a_user_error()
    {
        string config = _tmp.Write("f.yaml", Yaml("f"));
        string file = _tmp.Write("runs-file", "not a folder");
        Cli.Run("train", config, "--out", file).AssertUserError($"cannot create folder '{Path.Combine(file, "f")}': '{file}' is a file, not a folder");
        Assert.Equal("not a folder", File.ReadAllText(file));
    }

    [SkippableFact]
    public void A_full_disk_while_writing_a_checkpoint_is_one_line_and_leaves_no_temporary_file()
    {
        using var disk = ScratchMount.Tmpfs("2m", output);
        if (disk is null) return;
        // About 270 000 parameters: with Adam's two moments the checkpoint is over 3 MB.
        string config = _tmp.Write("d.yaml", Yaml("d").Replace("layers: [16]", "layers: [512, 512]"));
        string runs = Path.Combine(disk.Path, "runs");

        var r = Cli.Run("train", config, "--out", runs);

        r.AssertUserError($"cannot write '{Path.Combine(runs, "d", "checkpoints", "epoch-0001.ckpt")}': no space left on device; free some space or write elsewhere");
        Assert.Empty(Temporaries(disk.Path));
        Assert.Empty(Directory.GetFiles(disk.Path, "*.ckpt", SearchOption.AllDirectories));
        Assert.False(File.Exists(Path.Combine(runs, "d", RunFolderLock.HolderFileName)));
    }

    [SkippableFact]
    public void A_full_disk_while_writing_the_config_is_one_line_and_leaves_no_temporary_file()
    {
        using var disk = ScratchMount.Tmpfs("1m", output);
        if (disk is null) return;
        string config = _tmp.Write("e.yaml", Yaml("e"));
        disk.Fill(leave: 4096); // one page: the lock's holder file fits, config.yaml does not
        string runs = Path.Combine(disk.Path, "runs");

        Cli.Run("train", config, "--out", runs)
            .AssertUserError($"cannot write '{Path.Combine(runs, "e", "config.yaml")}': no space left on device; free some space or write elsewhere");

        Assert.Empty(Temporaries(disk.Path));
    }

    [SkippableFact]
    public void A_read_only_file_system_refuses_resume_and_out_with_one_line()
    {
        using var disk = ScratchMount.Tmpfs("4m", output);
        if (disk is null) return;
        string config = _tmp.Write("o.yaml", Yaml("o"));
        string runs = Path.Combine(disk.Path, "runs"), run = Path.Combine(runs, "o");
        Cli.Run("train", config, "--out", runs).AssertOk();
        var before = TempFolder.Snapshot(run);
        disk.MakeReadOnly();

        Cli.Run("train", config, "--out", runs, "--resume")
            .AssertUserError($"cannot lock the run folder: cannot write '{Path.Combine(run, RunFolderLock.FileName)}': read-only file system; write elsewhere");
        Cli.Run("train", config, "--out", Path.Combine(disk.Path, "elsewhere"))
            .AssertUserError($"cannot create folder '{Path.Combine(disk.Path, "elsewhere", "o")}': read-only file system; write elsewhere");

        Assert.Equal(before, TempFolder.Snapshot(run));
    }
}
