using System.Security.Cryptography;
using System.Text;
using HpcLearn.Runs;
using HpcLearn.Tests.Data;
using Xunit;

namespace HpcLearn.Tests.Runs;

public sealed class CheckpointContainerTests
{
    private static CheckpointBlocks Blocks() => new CheckpointBlocks()
        .Add(CheckpointBlocks.Meta, Encoding.UTF8.GetBytes("{\"Step\": 5}"))
        .Add("state", [1, 2, 3, 4])
        .Add("empty", [])
        .Add("ünïcode", [255]);

    private static string Write(TempDir dir, byte[] bytes, string name = "step-000001.ckpt")
    {
        string path = Path.Combine(dir.Path, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void Blocks_round_trip_by_name_in_order_behind_magic_version_and_checksum()
    {
        using var dir = new TempDir();
        byte[] file = CheckpointContainer.Encode("HPCLTEXT", Blocks());
        Assert.Equal("HPCLTEXT"u8.ToArray(), file[..8]);
        Assert.Equal(CheckpointContainer.Version, BitConverter.ToInt32(file, 8));
        Assert.Equal(SHA256.HashData(file.AsSpan(CheckpointContainer.HeaderLength)), file[12..44]);

        Assert.True(CheckpointContainer.TryRead(Write(dir, file), "HPCLTEXT", out var blocks, out var why), why);
        Assert.Equal([CheckpointBlocks.Meta, "state", "empty", "ünïcode"], blocks.Names);
        Assert.Equal([1, 2, 3, 4], blocks["state"]);
        Assert.Empty(blocks["empty"]);
        Assert.Equal([255], blocks["ünïcode"]);
        Assert.True(CheckpointContainer.TryRead(Write(dir, file), magic: null, out _, out _));   // any layout
        var missing = Assert.Throws<InvalidDataException>(() => blocks["rng"]);
        Assert.Equal("the checkpoint has no block 'rng' (it has meta, state, empty, ünïcode)", missing.Message);
        Assert.Throws<ArgumentException>(() => Blocks().Add("state", []));
    }

    [Fact]
    public void A_file_cut_anywhere_or_with_a_flipped_bit_is_refused_with_why()
    {
        using var dir = new TempDir();
        byte[] file = CheckpointContainer.Encode("HPCLCKPT", Blocks());
        foreach (int length in new[] { 0, 3, 7, 11, 12, 43, 44, 50, file.Length - 1 })
        {
            Assert.False(CheckpointContainer.TryRead(Write(dir, file[..length]), "HPCLCKPT", out var blocks, out var why), $"cut at {length}");
            Assert.Null(blocks);
            Assert.Equal(length switch
            {
                < 12 => "not an HpcLearn checkpoint or truncated",
                < 44 => "truncated (shorter than the checkpoint header)",
                _ => "corrupted or truncated (checksum mismatch)",
            }, why);
        }
        var flipped = (byte[])file.Clone();
        flipped[60] ^= 0x10;
        Assert.False(CheckpointContainer.TryRead(Write(dir, flipped), "HPCLCKPT", out _, out var flip));
        Assert.Equal("corrupted or truncated (checksum mismatch)", flip);
    }

    [Fact]
    public void Another_layouts_magic_or_a_foreign_file_is_refused()
    {
        using var dir = new TempDir();
        string pinn = Write(dir, CheckpointContainer.Encode("HPCLPINN", Blocks()));
        Assert.False(CheckpointContainer.TryRead(pinn, "HPCLTEXT", out _, out var why));
        Assert.Equal("a checkpoint of another kind (HPCLPINN, not HPCLTEXT)", why);
        Assert.False(CheckpointContainer.TryRead(Write(dir, Encoding.ASCII.GetBytes("PK\u0003\u0004 a zip file, not a checkpoint at all")), null, out _, out why));
        Assert.Equal("not an HpcLearn checkpoint or truncated", why);
        Assert.Throws<ArgumentException>(() => CheckpointContainer.Encode("CKPT", Blocks()));
    }

    [Fact]
    public void A_newer_format_version_is_refused_with_one_line_and_an_older_one_is_skipped()
    {
        using var dir = new TempDir();
        byte[] file = CheckpointContainer.Encode("HPCLGAME", Blocks());
        BitConverter.TryWriteBytes(file.AsSpan(8, 4), CheckpointContainer.Version + 1);
        string newer = Write(dir, file);
        var e = Assert.Throws<UserError>(() => CheckpointContainer.TryRead(newer, "HPCLGAME", out _, out _));
        Assert.Equal($"checkpoint {newer} was written by a newer HpcLearn (checkpoint format version {CheckpointContainer.Version + 1}; " +
                     $"this one reads version {CheckpointContainer.Version}): resume it with that HpcLearn, or start a new run with another name (--set name=...)", e.Message);
        Assert.DoesNotContain('\n', e.Message);

        // Version 1 (the Learner's unnamed blocks) and the unversioned layouts before it, whose checksum began here.
        foreach (int old in new[] { 1, 0, -7, 0x5A3C_91F0 })
        {
            BitConverter.TryWriteBytes(file.AsSpan(8, 4), old);
            Assert.False(CheckpointContainer.TryRead(Write(dir, file), "HPCLGAME", out _, out var why));
            Assert.Equal($"from an older checkpoint format (this HpcLearn reads version {CheckpointContainer.Version})", why);
        }
    }

    [Fact]
    public void Blocks_that_do_not_fill_the_body_are_refused_even_with_a_matching_checksum()
    {
        using var dir = new TempDir();
        byte[] file = CheckpointContainer.Encode("HPCLTEXT", new CheckpointBlocks().Add("state", [1, 2, 3]));
        // "state" is 1 + 5 bytes, then its int64 length 3: claim 300 and fix the checksum up.
        BitConverter.TryWriteBytes(file.AsSpan(CheckpointContainer.HeaderLength + 6, 8), 300L);
        SHA256.HashData(file.AsSpan(CheckpointContainer.HeaderLength)).CopyTo(file, 12);
        Assert.False(CheckpointContainer.TryRead(Write(dir, file), "HPCLTEXT", out _, out var why));
        Assert.Equal("malformed (its blocks do not fill the body)", why);
    }
}
