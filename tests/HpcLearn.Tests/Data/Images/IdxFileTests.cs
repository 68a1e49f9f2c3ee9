using System.IO.Compression;
using HpcLearn.Data.Images;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Data.Images;

public sealed class IdxFileTests
{
    [Fact]
    public void Round_trips_plain_and_gzip_files()
    {
        using var dir = new TempFolder();
        var data = Enumerable.Range(0, 2 * 3 * 4).Select(i => (byte)(i * 7)).ToArray();
        IdxFile.Write(dir["plain"], [2, 3, 4], data);
        using (var gz = new GZipStream(File.Create(dir["packed.gz"]), CompressionLevel.Fastest))
            gz.Write(File.ReadAllBytes(dir["plain"]));
        foreach (var name in new[] { "plain", "packed.gz" })
        {
            var (shape, read) = IdxFile.Read(dir[name]);
            Assert.Equal([2, 3, 4], shape);
            Assert.Equal(data, read);
        }
    }

    [Fact]
    public void A_gzip_bomb_is_refused_once_it_passes_the_bound_not_after_filling_memory()
    {
        // 64 MiB of zeros in a 64 KiB gzip file, read with a 16 MiB bound (the real bound is 1 GiB).
        using var dir = new TempFolder();
        using (var gz = new GZipStream(File.Create(dir["bomb.gz"]), CompressionLevel.Optimal))
        {
            gz.Write(new byte[] { 0, 0, 8, 1, 0x04, 0, 0, 0 });   // 1-D, 64 Mi elements
            var zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) gz.Write(zeros);
        }
        Assert.True(new FileInfo(dir["bomb.gz"]).Length < 1 << 20);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<UserError>(() => IdxFile.Read(dir["bomb.gz"], 16L << 20));
        Assert.Equal($"{dir["bomb.gz"]}: decompresses to more than 16 MiB, more than an IDX data set holds here (Fashion-MNIST's training images are 45 MiB); the file is damaged or not this data", e.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64L << 20, "the whole bomb was decompressed");
    }

    [Fact]
    public void A_truncated_file_says_how_many_bytes_are_missing()
    {
        using var dir = new TempFolder();
        IdxFile.Write(dir["f"], [10, 2, 2], new byte[40]);
        File.WriteAllBytes(dir["cut"], File.ReadAllBytes(dir["f"])[..^5]);
        var e = Assert.Throws<UserError>(() => IdxFile.Read(dir["cut"]));
        Assert.Equal($"{dir["cut"]}: the header declares 10 x 2 x 2 = 40 bytes of data but the file holds 35; the file is truncated or not this data", e.Message);
    }

    [Fact]
    public void Other_element_types_and_non_idx_files_are_refused()
    {
        var floats = new byte[] { 0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0 };
        Assert.Contains("element type 0x0d is not supported", Assert.Throws<UserError>(() => IdxFile.Parse(floats, "x")).Message);
        Assert.Contains("not an IDX file", Assert.Throws<UserError>(() => IdxFile.Parse("hello"u8.ToArray(), "x")).Message);
    }

    [Fact]
    public void Labels_that_do_not_match_the_images_are_refused()
    {
        using var dir = new TempFolder();
        IdxFile.Write(dir["images"], [3, 2, 2], new byte[12]);
        IdxFile.Write(dir["labels"], [4], [0, 1, 0, 1]);
        var e = Assert.Throws<UserError>(() => IdxSource.Load(dir["images"], dir["labels"]));
        Assert.Equal($"{dir["labels"]}: 4 labels for 3 images in {dir["images"]}; use the label file that belongs to the image file", e.Message);
    }

    [Fact]
    public void Reads_debians_fashion_mnist_when_installed()
    {
        string root = IdxSource.DebianFashionMnist;
        if (!Directory.Exists(root)) return; // .ci/run installs dataset-fashion-mnist; elsewhere there is nothing to read
        var train = IdxSource.Load(Path.Combine(root, "train-images-idx3-ubyte.gz"), Path.Combine(root, "train-labels-idx1-ubyte.gz"));
        Assert.Equal(60000, train.Count);
        Assert.Equal((1, 28, 28), (train.Channels, train.Height, train.Width));
        Assert.Equal(IdxSource.FashionMnistClasses, train.Classes);
        Assert.All(train.ClassCounts(), n => Assert.Equal(6000, n));   // the data set is balanced by construction
        Assert.Equal(9, train.Labels[0]);                              // the first training image is an ankle boot
    }
}
