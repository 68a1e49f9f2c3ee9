using HpcLearn.Tests.Data;
using HpcLearn.Runs;
using HpcLearn.Training;
using HpcLearn.Training.Callbacks;
using TorchSharp;
using Xunit;

namespace HpcLearn.Tests.Training;

public sealed class CheckpointStoreTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private string Folder => Path.Combine(_dir.Path, "checkpoints");

    /// <summary>Trains <paramref name="epochs"/> epochs with a checkpoint after each.</summary>
    private (Tiny Tiny, CheckpointStore Store) Trained(int epochs, int keep = 5)
    {
        var store = new CheckpointStore(Folder, keep);
        var t = new Tiny(callbacks: [new CheckpointCallback(store, configText: "seed: 1\n")]);
        t.Learner.FitOneCycle(epochs, 1e-2);
        return (t, store);
    }

    [Fact]
    public void Save_writes_an_epoch_file_atomically()
    {
        using var scope = torch.NewDisposeScope();
        using var t = new Tiny();
        t.Learner.Fit(2);
        var store = new CheckpointStore(Folder);

        string path = store.Save(t.Learner, "");

        Assert.Equal(Path.Combine(Folder, "epoch-0002.ckpt"), path);
        Assert.Equal([path], Directory.GetFiles(Folder));
        Assert.True(CheckpointStore.TryRead(path, out var meta, out _, out _, out var why), why);
        Assert.Equal(2, meta!.Epoch);
    }

    [Fact]
    public void Only_the_newest_K_are_kept()
    {
        using var scope = torch.NewDisposeScope();
        var (t, store) = Trained(5, keep: 2);
        using var _ = t;

        Assert.Equal(["epoch-0004.ckpt", "epoch-0005.ckpt"], Directory.GetFiles(Folder).Select(Path.GetFileName).Order());
        Assert.Equal([5, 4], store.List().Select(c => c.Epoch));
    }

    [Fact]
    public void RestoreLatest_restores_counters_plan_history_and_weights()
    {
        using var scope = torch.NewDisposeScope();
        var (a, store) = Trained(3);
        using var _ = a;
        using var b = new Tiny(callbacks: [new CheckpointCallback(store)]);
        Assert.NotEqual(Tiny.Bits(a.Model)["fc1.weight"], Tiny.Bits(b.Model)["fc1.weight"]);
        var warnings = new List<string>();

        var info = store.RestoreLatest(b.Learner, warnings.Add);

        Assert.Empty(warnings);
        Assert.Equal(Path.Combine(Folder, "epoch-0003.ckpt"), info!.Path);
        Assert.Equal("seed: 1\n", info.Config);
        Assert.Equal(3, b.Learner.Epoch);
        Assert.Equal(3L * Tiny.Batches, b.Learner.Step);
        Assert.Equal(a.Learner.Plan, b.Learner.Plan);
        Assert.Equal(3, b.Learner.History.Count);
        for (int i = 0; i < 3; i++)
        {
            var (x, y) = (a.Learner.History[i], b.Learner.History[i]);
            Assert.Equal((x.Epoch, x.Step, x.TrainLoss, x.ValidLoss, x.LearningRate, x.Seconds), (y.Epoch, y.Step, y.TrainLoss, y.ValidLoss, y.LearningRate, y.Seconds));
        }
        Tiny.AssertBitwiseEqual(Tiny.Bits(a.Model), Tiny.Bits(b.Model));
        Assert.Equal(Tiny.OptimizerBytes(a.Learner), Tiny.OptimizerBytes(b.Learner));
    }

    [Fact]
    public void A_corrupted_newest_file_is_skipped_with_a_checksum_warning()
    {
        using var scope = torch.NewDisposeScope();
        var (t, store) = Trained(3);
        using var _ = t;
        string newest = Path.Combine(Folder, "epoch-0003.ckpt");
        byte[] bytes = File.ReadAllBytes(newest);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(newest, bytes);
        using var fresh = new Tiny();
        var warnings = new List<string>();

        var info = store.RestoreLatest(fresh.Learner, warnings.Add);

        Assert.Equal(Path.Combine(Folder, "epoch-0002.ckpt"), info!.Path);
        Assert.Equal(2, fresh.Learner.Epoch);
        Assert.Equal(2, fresh.Learner.History.Count);
        var warning = Assert.Single(warnings);
        Assert.Contains("epoch-0003.ckpt", warning);
        Assert.Contains("checksum", warning);
    }

    [Fact]
    public void A_truncated_newest_file_is_skipped_with_a_checksum_warning()
    {
        using var scope = torch.NewDisposeScope();
        var (t, store) = Trained(3);
        using var _ = t;
        string newest = Path.Combine(Folder, "epoch-0003.ckpt");
        byte[] bytes = File.ReadAllBytes(newest);
        File.WriteAllBytes(newest, bytes[..(bytes.Length / 2)]);
        using var fresh = new Tiny();
        var warnings = new List<string>();

        var info = store.RestoreLatest(fresh.Learner, warnings.Add);

        Assert.Equal(2, info!.Epoch);
        var warning = Assert.Single(warnings);
        Assert.Contains("epoch-0003.ckpt", warning);
        Assert.Contains("checksum", warning);
    }

    [Fact]
    public void With_no_valid_file_RestoreLatest_returns_null_and_changes_nothing()
    {
        using var scope = torch.NewDisposeScope();
        using var fresh = new Tiny();
        var store = new CheckpointStore(Folder);
        Assert.Null(store.RestoreLatest(fresh.Learner, _ => Assert.Fail("nothing to warn about")));

        Directory.CreateDirectory(Folder);
        File.WriteAllText(Path.Combine(Folder, "epoch-0001.ckpt"), "not a checkpoint");
        File.WriteAllBytes(Path.Combine(Folder, "epoch-0002.ckpt"), []);
        var before = Tiny.Bits(fresh.Model);
        var warnings = new List<string>();

        Assert.Null(store.RestoreLatest(fresh.Learner, warnings.Add));

        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Contains("not an HpcLearn checkpoint or truncated", w));
        Assert.Equal(0, fresh.Learner.Epoch);
        Tiny.AssertBitwiseEqual(before, Tiny.Bits(fresh.Model));
    }

    [Fact]
    public void Checkpoint_callback_saves_every_N_epochs_and_the_last()
    {
        using var scope = torch.NewDisposeScope();
        var store = new CheckpointStore(Folder, keep: 10);
        using var t = new Tiny(callbacks: [new CheckpointCallback(store, every: 2)]);

        t.Learner.Fit(5);

        Assert.Equal([5, 4, 2], store.List().Select(c => c.Epoch));
    }

    [Fact]
    public void Checkpoint_callback_saves_an_early_stop_between_checkpoint_epochs()
    {
        using var scope = torch.NewDisposeScope();
        var store = new CheckpointStore(Folder, keep: 10);
        using var t = new Tiny(callbacks: [new StopAtEpoch(3), new CheckpointCallback(store, every: 2)]);

        t.Learner.Fit(6);

        Assert.Equal([3, 2], store.List().Select(c => c.Epoch));
    }
}
