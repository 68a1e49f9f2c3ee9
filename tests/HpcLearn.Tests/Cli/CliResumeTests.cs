using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Training;
using Xunit;

namespace HpcLearn.Tests.Cli;

/// <summary><c>hpclearn train --resume</c>: missing folders, missing and damaged checkpoints.</summary>
public sealed class CliResumeTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private string Runs => _tmp["runs"];

    [Fact]
    public void Resume_without_a_run_folder()
    {
        var config = _tmp.Write("r.yaml", Cli.TinyYaml("r"));
        Cli.Run("train", config, "--out", Runs, "--resume")
            .AssertUserError($"--resume: run folder '{Path.Combine(Runs, "r")}' does not exist; start the run without --resume first");
    }

    [Fact]
    public void Resume_with_a_run_folder_but_no_checkpoint_writes_nothing()
    {
        var config = _tmp.Write("r.yaml", Cli.TinyYaml("r"));
        var run = Directory.CreateDirectory(Path.Combine(Runs, "r")).FullName;
        Cli.Run("train", config, "--out", Runs, "--resume")
            .AssertUserError($"--resume: no valid checkpoint in {Path.Combine(run, "checkpoints")}; to start the run again, use --resume-if-possible instead of --resume " +
                $"(it keeps this attempt's files in attempt-failed-TIME/ inside the run folder), or give the run another name (--set name=...)");
        Assert.Empty(Directory.EnumerateFileSystemEntries(run));
    }

    [Theory]
    [InlineData("half", "corrupted or truncated (checksum mismatch)")]
    [InlineData("stub", "not an HpcLearn checkpoint or truncated")]
    public void Damaged_newest_checkpoint_is_skipped_with_a_warning_and_the_run_resumes_from_the_one_before(string damage, string why)
    {
        var config = _tmp.Write("r.yaml", Cli.TinyYaml("r", epochs: 3));
        Cli.Run("train", config, "--out", Runs).AssertOk();
        var dir = Path.Combine(Runs, "r", "checkpoints");
        var newest = Path.Combine(dir, "epoch-0003.ckpt");
        var previous = Path.Combine(dir, "epoch-0002.ckpt");
        var good = File.ReadAllBytes(newest);
        byte[] damaged = damage == "half" ? good[..(good.Length / 2)] : good[..5];
        File.WriteAllBytes(newest, damaged);
        Assert.True(CheckpointStore.TryRead(previous, out var prev, out _, out _, out _));

        var r = Cli.Run("train", config, "--out", Runs, "--resume").AssertOk();

        Assert.Contains($"warning: checkpoint {newest} is {why}; skipping it{Environment.NewLine}", r.Out);
        Assert.Contains($"resuming from {previous} (epoch 2, step {prev!.Step}){Environment.NewLine}", r.Out);
        Assert.Contains("epoch 3/3 ", r.Out);
        Assert.DoesNotContain("epoch 1/3 ", r.Out);
        // The damaged file was replaced by a valid checkpoint of epoch 3, not kept as the newest.
        Assert.True(CheckpointStore.TryRead(newest, out var meta, out _, out _, out var problem), problem);
        Assert.Equal(3, meta!.Epoch);
        Assert.Equal(["1", "2", "3"], File.ReadAllLines(Path.Combine(Runs, "r", "metrics.csv")).Skip(1).Select(l => l.Split(',')[0]));
        Assert.Contains("\"epochs\": 3", File.ReadAllText(Path.Combine(Runs, "r", "summary.json")));
    }
}
