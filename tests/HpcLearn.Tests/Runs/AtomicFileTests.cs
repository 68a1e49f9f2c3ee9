using HpcLearn.Tests.Data;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;
using Xunit.Abstractions;

using HpcLearn.Tests.Training;

namespace HpcLearn.Tests.Runs;

public sealed class AtomicFileTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void Writes_creates_folders_replaces_and_leaves_no_temporary_files()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "a", "b", "data.bin");

        AtomicFile.WriteAllBytes(path, [1, 2, 3]);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));

        AtomicFile.WriteAllText(path, "héllo\n");
        Assert.Equal("héllo\n", File.ReadAllText(path));
        Assert.Equal([Path.GetFileName(path)], Directory.GetFileSystemEntries(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [SkippableFact]
    public void A_folder_at_the_path_is_a_user_error_and_no_temporary_file_is_left()
    {
        using var dir = new TempDir();
        string folder = Path.Combine(dir.Path, "out");
        Directory.CreateDirectory(folder);

        foreach (var path in new[] { folder, folder + Path.DirectorySeparatorChar })
        {
            var e = Assert.Throws<UserError>(() => AtomicFile.WriteAllText(path, "x"));
            Assert.Equal($"cannot write '{path}': it is a folder, not a file; give a file name", e.Message);
        }
        Assert.Empty(Directory.GetFileSystemEntries(folder));
        Assert.Equal([folder], Directory.GetFileSystemEntries(dir.Path));
    }

    [SkippableFact]
    public void A_full_disk_is_a_user_error_naming_the_file_the_old_content_stays_and_no_temporary_file_is_left()
    {
        using var disk = ScratchMount.Tmpfs("1m", output);
        if (disk is null) return;
        string path = Path.Combine(disk.Path, "data.bin");
        AtomicFile.WriteAllText(path, "old");

        var e = Assert.Throws<UserError>(() => AtomicFile.WriteAllBytes(path, new byte[2_000_000]));

        Assert.Equal($"cannot write '{path}': no space left on device; free some space or write elsewhere", e.Message);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFileSystemEntries(disk.Path));
    }

    [SkippableFact]
    public void A_read_only_file_system_is_a_user_error_naming_the_file()
    {
        using var disk = ScratchMount.Tmpfs("1m", output);
        if (disk is null) return;
        disk.MakeReadOnly();
        string path = Path.Combine(disk.Path, "data.bin");

        var e = Assert.Throws<UserError>(() => AtomicFile.WriteAllText(path, "x"));

        Assert.Equal($"cannot write '{path}': read-only file system; write elsewhere", e.Message);
    }

    [SkippableTheory]
    [InlineData(".metrics.csv.1234.0123456789abcdef0123456789abcdef.tmp", true, 1234)]
    [InlineData(".epoch-0003.ckpt.77.0123456789abcdef0123456789abcdef.tmp", true, 77)]
    [InlineData(".notes.tmp", false, 0)]
    [InlineData("metrics.csv.1234.0123456789abcdef0123456789abcdef.tmp", false, 0)]
    [InlineData(".metrics.csv.x.0123456789abcdef0123456789abcdef.tmp", false, 0)]
    public void Its_temporary_files_are_recognised_with_their_writer(string name, bool temporary, int pid)
    {
        Assert.Equal(temporary, AtomicFile.IsTemporary(name, out int writer));
        Assert.Equal(pid, writer);
    }
}
