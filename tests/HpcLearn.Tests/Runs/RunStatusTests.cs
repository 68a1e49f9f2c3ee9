using System.Text;
using HpcLearn.Runs;
using HpcLearn.Tests.Data;
using HpcLearn.Tests.Training;
using HpcLearn.Training;
using Xunit;

namespace HpcLearn.Tests.Runs;

public sealed class RunStatusTests
{
    [Fact]
    public void A_learners_checkpoint_gives_its_position_from_the_meta_block()
    {
        using var dir = new TempDir();
        using var scope = TorchSharp.torch.NewDisposeScope();
        using var t = new Tiny();
        t.Learner.Fit(2);
        var store = new CheckpointStore(Path.Combine(dir.Path, "checkpoints"));
        string path = store.Save(t.Learner, "config");

        var status = RunStatus.Read(dir.Path);

        Assert.Equal(new CheckpointPosition(path, 2, t.Learner.Step, status.Checkpoint!.CreatedUtc, 2, 0), status.Checkpoint);
        Assert.InRange(status.Checkpoint.CreatedUtc, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow);
        Assert.Null(status.OtherCheckpoint);
        Assert.Empty(status.SkippedCheckpoints);
    }

    [Theory]
    [InlineData("HPCLTEXT", "step", "{\"Step\": 30, \"History\": [], \"Config\": \"\"}")]
    [InlineData("HPCLPINN", "step", "{\"shape\": {}, \"config\": \"\"}")]
    [InlineData("HPCLGAME", "iter", "{\"iteration\": 3, \"config\": \"\"}")]
    public void Other_layouts_give_their_newest_valid_file_and_name_the_damaged_ones(string magic, string prefix, string meta)
    {
        using var dir = new TempDir();
        var store = new CheckpointFolder(Path.Combine(dir.Path, "checkpoints"), prefix, magic, keep: 5);
        CheckpointBlocks Blocks() => new CheckpointBlocks().Add(CheckpointBlocks.Meta, Encoding.UTF8.GetBytes(meta)).Add("state", [1]);
        string valid = store.Save($"{prefix}-000010.ckpt", Blocks());
        string damaged = store.Save($"{prefix}-000020.ckpt", Blocks());
        File.WriteAllBytes(damaged, File.ReadAllBytes(damaged)[..^1]);

        var status = RunStatus.Read(dir.Path);

        Assert.Null(status.Checkpoint);
        Assert.Equal(valid, status.OtherCheckpoint);
        Assert.Equal([$"{prefix}-000020.ckpt is corrupted or truncated (checksum mismatch)"], status.SkippedCheckpoints);
    }
}
