using HpcLearn.Runs;
using HpcLearn.Tests.Data;
using Xunit;

namespace HpcLearn.Tests.Runs;

public sealed class CheckpointFolderTests
{
    private static CheckpointBlocks Step(long step) => new CheckpointBlocks().Add("state", BitConverter.GetBytes(step));

    private static long StepOf((string Path, CheckpointBlocks Blocks)? found) => BitConverter.ToInt64(found!.Value.Blocks["state"]);

    private static CheckpointFolder Store(TempDir dir, int keep = 5) => new(Path.Combine(dir.Path, "checkpoints"), "step", "HPCLTEXT", keep);

    [Fact]
    public void Keeps_the_newest_k_and_reads_the_newest_back()
    {
        using var dir = new TempDir();
        var store = Store(dir, keep: 2);
        foreach (long step in new long[] { 100, 200, 300 }) store.Save($"step-{step:D6}.ckpt", Step(step));
        Assert.Equal(["step-000300.ckpt", "step-000200.ckpt"], store.List().Select(Path.GetFileName));
        var warnings = new List<string>();
        Assert.Equal(300, StepOf(store.Latest(warnings.Add)));
        Assert.Empty(warnings);
        Assert.Throws<ArgumentException>(() => store.Save("epoch-0001.ckpt", Step(1)));
        Assert.Throws<ArgumentException>(() => store.Save("step-1.bin", Step(1)));
    }

    [Fact]
    public void The_one_just_written_is_kept_even_when_an_older_name_sorts_newer()
    {
        using var dir = new TempDir();
        var store = Store(dir, keep: 1);
        store.Save("step-000300.ckpt", Step(300));
        string path = store.Save("step-000200.ckpt", Step(200));
        Assert.Equal([path], store.List());
    }

    [Theory]
    [InlineData("flip", "corrupted or truncated (checksum mismatch)")]
    [InlineData("cut", "corrupted or truncated (checksum mismatch)")]
    [InlineData("stub", "not an HpcLearn checkpoint or truncated")]
    [InlineData("magic", "a checkpoint of another kind (HPCLPINN, not HPCLTEXT)")]
    public void A_damaged_newest_file_falls_back_to_the_one_before_with_exactly_one_warning(string damage, string why)
    {
        using var dir = new TempDir();
        var store = Store(dir);
        store.Save("step-000100.ckpt", Step(100));
        store.Save("step-000200.ckpt", Step(200));
        string newest = store.Save("step-000300.ckpt", Step(300));
        byte[] good = File.ReadAllBytes(newest);
        File.WriteAllBytes(newest, damage switch
        {
            "flip" => [.. good[..^1], (byte)(good[^1] ^ 1)],
            "cut" => good[..^3],
            "stub" => good[..6],
            _ => CheckpointContainer.Encode("HPCLPINN", Step(300)),
        });

        var warnings = new List<string>();
        var found = store.Latest(warnings.Add);

        Assert.Equal(200, StepOf(found));
        Assert.Equal(Path.Combine(store.Folder, "step-000200.ckpt"), found!.Value.Path);
        Assert.Equal([$"checkpoint {newest} is {why}; falling back to step-000200.ckpt"], warnings);
    }

    [Fact]
    public void With_no_valid_file_left_each_is_named_once_and_nothing_is_returned()
    {
        using var dir = new TempDir();
        var store = Store(dir);
        string a = store.Save("step-000100.ckpt", Step(100));
        string b = store.Save("step-000200.ckpt", Step(200));
        File.WriteAllText(a, "x");
        File.WriteAllText(b, "y");
        var warnings = new List<string>();
        Assert.Null(store.Latest(warnings.Add));
        Assert.Equal([$"checkpoint {b} is not an HpcLearn checkpoint or truncated; no older valid checkpoint to fall back to",
                      $"checkpoint {a} is not an HpcLearn checkpoint or truncated; no older valid checkpoint to fall back to"], warnings);
        Assert.Null(new CheckpointFolder(Path.Combine(dir.Path, "none"), "step", "HPCLTEXT", 1).Latest(warnings.Add));
    }

    [Fact]
    public void A_newer_format_version_is_refused_not_skipped()
    {
        using var dir = new TempDir();
        var store = Store(dir);
        store.Save("step-000100.ckpt", Step(100));
        string newest = store.Save("step-000200.ckpt", Step(200));
        byte[] file = File.ReadAllBytes(newest);
        BitConverter.TryWriteBytes(file.AsSpan(8, 4), CheckpointContainer.Version + 1);
        File.WriteAllBytes(newest, file);
        var e = Assert.Throws<UserError>(() => store.Latest(_ => { }));
        Assert.StartsWith($"checkpoint {newest} was written by a newer HpcLearn", e.Message);
    }

    [Fact]
    public void A_temporary_file_is_never_taken_for_a_checkpoint_and_a_dead_writers_are_swept()
    {
        using var dir = new TempDir();
        var store = Store(dir);
        store.Save("step-000100.ckpt", Step(100));
        // What a writer killed before its rename leaves: even complete and valid, it is not a checkpoint.
        string dead = Path.Combine(store.Folder, $".step-000200.ckpt.{int.MaxValue}.{Guid.NewGuid():N}.tmp");
        string live = Path.Combine(store.Folder, $".step-000300.ckpt.1.{Guid.NewGuid():N}.tmp");   // pid 1 is alive
        File.WriteAllBytes(dead, CheckpointContainer.Encode("HPCLTEXT", Step(200)));
        File.WriteAllBytes(live, CheckpointContainer.Encode("HPCLTEXT", Step(300)));

        Assert.Equal(["step-000100.ckpt"], store.List().Select(Path.GetFileName));
        Assert.Equal(100, StepOf(store.Latest(_ => { })));
        Assert.Equal(Path.Combine(store.Folder, "step-000100.ckpt"), CheckpointProbe.FindValid(store.Folder, _ => { }));

        // A new store's first save sweeps what dead writers left, not what a live one is writing.
        var again = Store(dir);
        again.Save("step-000400.ckpt", Step(400));
        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(live));
    }

    [Fact]
    public void Files_are_ordered_by_the_numbers_in_their_names()
    {
        string[] names = ["epoch-0003.ckpt", "epoch-0002-batch-00040.ckpt", "epoch-0003-batch-00007.ckpt", "epoch-0010.ckpt",
                          "step-999999.ckpt", "step-1000000.ckpt", "epoch-0003-batch-00040.ckpt"];
        Assert.Equal(["epoch-0010.ckpt", "epoch-0003-batch-00040.ckpt", "epoch-0003-batch-00007.ckpt", "epoch-0003.ckpt", "epoch-0002-batch-00040.ckpt"],
            CheckpointFolder.NewestFirst(names.Where(n => n.StartsWith("epoch", StringComparison.Ordinal))));
        Assert.Equal(["step-1000000.ckpt", "step-999999.ckpt"], CheckpointFolder.NewestFirst(names.Where(n => n.StartsWith("step", StringComparison.Ordinal))));
    }
}
