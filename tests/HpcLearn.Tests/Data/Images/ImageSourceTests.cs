using HpcLearn.Data.Images;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Data.Images;

public sealed class ImageSourceTests
{
    private static readonly ImageLoadOptions Small = new() { Height = 8, Width = 8 };

    private static void Png(TempFolder dir, string name, byte value, int channels = 1)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(dir[name])!);
        ImageGrid.SavePng(dir[name], Enumerable.Repeat(value, channels * 64).ToArray(), channels, 8, 8);
    }

    [Fact]
    public void Class_folders_become_sorted_classes_and_a_corrupt_file_is_skipped_and_named()
    {
        using var dir = new TempFolder();
        for (int i = 0; i < 10; i++) Png(dir, $"cat/{i}.png", 10);
        for (int i = 0; i < 10; i++) Png(dir, $"ant/{i}.png", 200);
        File.WriteAllText(dir["cat/broken.png"], "garbage");
        var set = ImageFolderSource.Load(dir.Path, Small with { MaxBadFraction = 0.1 });
        Assert.Equal(["ant", "cat"], set.Classes);
        Assert.Equal([10, 10], set.ClassCounts());
        Assert.Equal(1, set.Channels);
        var skipped = Assert.Single(set.Skipped);
        Assert.Equal(dir["cat/broken.png"], skipped.Path);
        Assert.Equal(200, set.Pixels[0]);   // the first image is an ant
    }

    [Fact]
    public void An_image_bomb_in_a_class_folder_is_skipped_and_named_like_a_corrupt_file()
    {
        using var dir = new TempFolder();
        for (int i = 0; i < 10; i++) Png(dir, $"cat/{i}.png", 10);
        for (int i = 0; i < 10; i++) Png(dir, $"ant/{i}.png", 200);
        PngBomb.Write(dir["cat/bomb.png"], 100_000, 100_000);
        var set = ImageFolderSource.Load(dir.Path, Small with { MaxBadFraction = 0.1 });
        Assert.Equal([10, 10], set.ClassCounts());
        var skipped = Assert.Single(set.Skipped);
        Assert.Equal(dir["cat/bomb.png"], skipped.Path);
        Assert.Equal("100000 x 100000 pixels (10000 megapixels), over the 50-megapixel limit for an image; shrink it first", skipped.Reason);
    }

    [Fact]
    public void Too_many_bad_files_refuse_to_load()
    {
        using var dir = new TempFolder();
        Png(dir, "a/1.png", 1); Png(dir, "b/1.png", 2);
        File.WriteAllText(dir["b/2.png"], "garbage");
        var e = Assert.Throws<UserError>(() => ImageFolderSource.Load(dir.Path, Small));
        Assert.StartsWith($"{dir.Path}: 1 of 3 image files are unreadable (33.3%, more than data.max_bad_fraction 5.0%)", e.Message);
    }

    [Fact]
    public void An_empty_class_folder_and_a_single_class_are_refused()
    {
        using var dir = new TempFolder();
        Png(dir, "a/1.png", 1);
        Assert.Equal($"{dir.Path}: only one class folder ('a'); a classifier needs at least two classes",
            Assert.Throws<UserError>(() => ImageFolderSource.Load(dir.Path, Small)).Message);
        Directory.CreateDirectory(dir["b"]);
        Assert.StartsWith($"{dir["b"]}: class folder 'b' holds no images",
            Assert.Throws<UserError>(() => ImageFolderSource.Load(dir.Path, Small)).Message);
    }

    [Fact]
    public void Mixed_grey_and_colour_images_load_as_rgb()
    {
        using var dir = new TempFolder();
        Png(dir, "a/grey.png", 9);
        Png(dir, "b/colour.png", 9, channels: 3);
        ImageGrid.SavePng(dir["b/red.png"], [.. Enumerable.Repeat((byte)255, 64), .. new byte[128]], 3, 8, 8);
        var set = ImageFolderSource.Load(dir.Path, Small);
        Assert.Equal(3, set.Channels);
        Assert.Equal(3, set.Count);
    }

    [Fact]
    public void A_csv_label_whose_file_is_missing_names_the_line()
    {
        using var dir = new TempFolder();
        Png(dir, "img/1.png", 1); Png(dir, "img/2.png", 2);
        string csv = dir.Write("list.csv", "path,label\nimg/1.png,a\nimg/2.png,b\nimg/3.png,b\n");
        Assert.Equal($"{csv}:4: label 'b' names the file img/3.png, which does not exist (paths are relative to the CSV's folder)",
            Assert.Throws<UserError>(() => ImageCsvSource.Load(csv, Small)).Message);
        File.WriteAllText(csv, "path,label\nimg/1.png,a\nimg/2.png,b\n");
        var set = ImageCsvSource.Load(csv, Small);
        Assert.Equal(["a", "b"], set.Classes);
        Assert.Equal([0, 1], set.Labels);
    }
}
