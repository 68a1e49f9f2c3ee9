using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Runs;
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

        Assert.Equal([$"warning: checkpoint {newest} is {why}; falling back to epoch-0002.ckpt"], r.Out.Split(Environment.NewLine).Where(l => l.StartsWith("warning:", StringComparison.Ordinal)));
        Assert.Contains($"resuming from {previous} (epoch 2, step {prev!.Step}){Environment.NewLine}", r.Out);
        Assert.Contains("epoch 3/3 ", r.Out);
        Assert.DoesNotContain("epoch 1/3 ", r.Out);
        // The damaged file was replaced by a valid checkpoint of epoch 3, not kept as the newest.
        Assert.True(CheckpointStore.TryRead(newest, out var meta, out _, out _, out var problem), problem);
        Assert.Equal(3, meta!.Epoch);
        Assert.Equal(["1", "2", "3"], File.ReadAllLines(Path.Combine(Runs, "r", "metrics.csv")).Skip(1).Select(l => l.Split(',')[1]));
        Assert.Contains("\"epochs\": 3", File.ReadAllText(Path.Combine(Runs, "r", "summary.json")));
    }

    [Theory]
    [InlineData("--resume")]
    [InlineData("--resume-if-possible")]
    public void A_checkpoint_from_a_newer_format_is_refused_with_one_line_and_nothing_is_touched(string resume)
    {
        var config = _tmp.Write("r.yaml", Cli.TinyYaml("r", epochs: 2));
        Cli.Run("train", config, "--out", Runs).AssertOk();
        string newest = Path.Combine(Runs, "r", "checkpoints", "epoch-0002.ckpt");
        byte[] bytes = File.ReadAllBytes(newest);
        BitConverter.TryWriteBytes(bytes.AsSpan(8, 4), CheckpointContainer.Version + 1);
        File.WriteAllBytes(newest, bytes);
        var before = TempFolder.Snapshot(Path.Combine(Runs, "r"));

        Cli.Run("train", config, "--out", Runs, resume).AssertUserError(
            $"checkpoint {newest} was written by a newer HpcLearn (checkpoint format version {CheckpointContainer.Version + 1}; this one reads version {CheckpointContainer.Version}): " +
            "resume it with that HpcLearn, or start a new run with another name (--set name=...)");
        Assert.Equal(before, TempFolder.Snapshot(Path.Combine(Runs, "r")));
    }

    [Fact]
    public void Resume_with_changed_layers_names_the_key_and_leaves_the_run_folder_untouched()
    {
        var config = _tmp.Write("r.yaml", Cli.TinyYaml("r", epochs: 2)); // model: {layers: [16]}
        Cli.Run("train", config, "--out", Runs).AssertOk();
        var before = TempFolder.Snapshot(Path.Combine(Runs, "r"));
        string newest = Path.Combine(Runs, "r", "checkpoints", "epoch-0002.ckpt");

        Cli.Run("train", config, "--out", Runs, "--resume", "--set", "model.layers=[32]").AssertUserError(
            $"--resume: the checkpoint {newest} was written for another model: model.layers ([16] vs [32]) (checkpoint vs config); " +
            "resume without changing model.* (drop that --set or restore the config file), or start a new run with another name");
        // Nothing the run wrote changes; the refused attempt is recorded (attempts.jsonl, failure.json, train_time.json) for status.
        var after = TempFolder.Snapshot(Path.Combine(Runs, "r"));
        Assert.Contains("model.layers ([16] vs [32])", File.ReadAllText(Path.Combine(Runs, "r", "failure.json")));
        foreach (var record in new[] { "attempts.jsonl", "failure.json", "train_time.json" }) { before.Remove(record); after.Remove(record); }
        Assert.Equal(before.Keys, after.Keys);
        foreach (var k in before.Keys) Assert.True(before[k].SequenceEqual(after[k]), $"{k} changed");
    }

    [Fact]
    public void Resume_onto_data_that_builds_another_shape_is_a_user_error_not_a_trace()
    {
        // Same config, data with more rows: the same model. A target with a third class: another output layer.
        var data = _tmp.Write("d.csv", "a,y\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"{i},{(i % 2 == 0 ? "p" : "q")}\n")));
        var config = _tmp.Write("d.yaml", Cli.TinyYaml("d", epochs: 1, data: $"{{path: '{data}', target: y}}"));
        Cli.Run("train", config, "--out", Runs).AssertOk();
        File.AppendAllText(data, string.Concat(Enumerable.Range(0, 20).Select(i => $"{i},r\n")));

        var r = Cli.Run("train", config, "--out", Runs, "--resume", "--set", "train.epochs=2");
        r.AssertUserErrorStartsWith($"--resume: the weights in {Path.Combine(Runs, "d", "checkpoints", "epoch-0001.ckpt")} do not fit the model this run builds (");
        Assert.EndsWith("resume with the config and data the run started with, or start a new run without --resume" + Environment.NewLine, r.Err);
    }
}
