using HpcLearn.Tests.Data;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;

using HpcLearn.Tests.Training;

namespace HpcLearn.Tests.Runs;

public sealed class CheckpointProbeTests
{
    [Fact]
    public void Finds_the_newest_intact_checkpoint_of_any_writer_and_describes_the_damaged_ones_before_it()
    {
        using var dir = new TempDir();
        string folder = Path.Combine(dir.Path, "checkpoints");
        var steps = new CheckpointFolder(folder, "step", "HPCLTEXT", keep: 5);
        string older = steps.Save("step-000100.ckpt", new CheckpointBlocks().Add("state", [1, 2, 3]));
        string newer = steps.Save("step-000200.ckpt", new CheckpointBlocks().Add("state", [4, 5, 6]));
        Assert.Null(CheckpointProbe.Problem(older));

        var damaged = new List<string>();
        Assert.Equal(newer, CheckpointProbe.FindValid(folder, damaged.Add));
        Assert.Empty(damaged);

        var bytes = File.ReadAllBytes(newer);
        bytes[^1] ^= 1;
        File.WriteAllBytes(newer, bytes);
        Assert.Equal(older, CheckpointProbe.FindValid(folder, damaged.Add));
        Assert.Equal([$"checkpoint {newer} is corrupted or truncated (checksum mismatch); falling back to step-000100.ckpt"], damaged);

        File.WriteAllText(older, "cut");
        damaged.Clear();
        Assert.Null(CheckpointProbe.FindValid(folder, damaged.Add));
        Assert.Equal($"checkpoint {older} is not an HpcLearn checkpoint or truncated; no older valid checkpoint to fall back to", damaged[1]);
    }

    [Fact]
    public void Reads_the_epoch_checkpoints_of_a_learner_and_no_folder_means_none()
    {
        using var dir = new TempDir();
        using var scope = TorchSharp.torch.NewDisposeScope();
        using var t = new Tiny();
        t.Learner.Fit(1);
        var store = new CheckpointStore(Path.Combine(dir.Path, "checkpoints"));
        string path = store.Save(t.Learner, "config");

        Assert.Null(CheckpointProbe.Problem(path));
        Assert.Equal(path, CheckpointProbe.FindValid(store.Folder, _ => { }));
        Assert.Null(CheckpointProbe.FindValid(Path.Combine(dir.Path, "none"), _ => { }));
    }
}
