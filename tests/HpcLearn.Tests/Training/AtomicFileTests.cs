using HpcLearn.Tests.Data;
using HpcLearn.Training;
using Xunit;

namespace HpcLearn.Tests.Training;

public sealed class AtomicFileTests
{
    [Fact]
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
}
