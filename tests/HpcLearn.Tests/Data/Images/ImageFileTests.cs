using HpcLearn.Data.Images;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Data.Images;

public sealed class ImageFileTests
{
    private static byte[] Pattern(int channels, int h, int w) =>
        Enumerable.Range(0, channels * h * w).Select(i => (byte)(i * 37 % 251)).ToArray();

    [Fact]
    public void A_png_round_trips_exactly_at_its_own_size()
    {
        using var dir = new TempFolder();
        var rgb = Pattern(3, 5, 7);
        ImageGrid.SavePng(dir["a.png"], rgb, 3, 5, 7);
        var image = ImageFile.TryDecode(dir["a.png"], 5, 7, out var problem);
        Assert.Null(problem);
        Assert.Equal(rgb, image!.Rgb);
        Assert.False(image.Grey);
        Assert.Equal((7, 5), (image.SourceWidth, image.SourceHeight));
    }

    [Fact]
    public void A_grey_png_is_seen_as_grey_and_converts_to_either_channel_count()
    {
        using var dir = new TempFolder();
        var grey = Pattern(1, 4, 4);
        ImageGrid.SavePng(dir["g.png"], grey, 1, 4, 4);
        var image = ImageFile.TryDecode(dir["g.png"], 4, 4, out _)!;
        Assert.True(image.Grey);
        Assert.Equal(grey, image.Planes(1));
        Assert.Equal(grey.Concat(grey).Concat(grey).ToArray(), image.Planes(3));
    }

    [Fact]
    public void Colour_to_grey_uses_bt601_luminance()
    {
        var image = new DecodedImage([255, 0, 0], Grey: false, 1, 1);   // 1 pixel: R=255, G=0, B=0
        Assert.Equal([(byte)76], image.Planes(1));                     // round(0.299 * 255)
    }

    [Fact]
    public void Resizing_a_constant_image_keeps_its_value()
    {
        using var dir = new TempFolder();
        ImageGrid.SavePng(dir["c.png"], Enumerable.Repeat((byte)200, 40 * 30).ToArray(), 1, 40, 30);
        var image = ImageFile.TryDecode(dir["c.png"], 8, 8, out _)!;
        Assert.All(image.Planes(1), v => Assert.Equal(200, v));
    }

    [Fact]
    public void Truncated_and_non_image_files_are_reported_not_thrown()
    {
        using var dir = new TempFolder();
        ImageGrid.SavePng(dir["full.png"], Pattern(3, 64, 64), 3, 64, 64);
        var bytes = File.ReadAllBytes(dir["full.png"]);
        File.WriteAllBytes(dir["cut.png"], bytes[..(bytes.Length / 2)]);
        Assert.Null(ImageFile.TryDecode(dir["cut.png"], 8, 8, out var cut));
        Assert.Equal("truncated image data", cut);
        File.WriteAllText(dir["text.png"], "not an image at all");
        Assert.Null(ImageFile.TryDecode(dir["text.png"], 8, 8, out var text));
        Assert.NotNull(text);
    }

    [Fact]
    public void An_image_whose_header_claims_more_than_the_pixel_limit_is_refused_before_decoding()
    {
        using var dir = new TempFolder();
        PngBomb.Write(dir["ok.png"], 4, 1);   // the same crafted file at a small size decodes: only the size is wrong below
        Assert.NotNull(ImageFile.TryDecode(dir["ok.png"], 2, 2, out var ok));
        Assert.Null(ok);

        PngBomb.Write(dir["bomb.png"], 100_000, 100_000);
        Assert.Null(ImageFile.TryDecode(dir["bomb.png"], 8, 8, out var huge));
        Assert.Equal("100000 x 100000 pixels (10000 megapixels), over the 50-megapixel limit for an image; shrink it first", huge);

        PngBomb.Write(dir["wide.png"], 20_000, 2_501);   // 50.02 megapixels: just over
        Assert.Null(ImageFile.TryDecode(dir["wide.png"], 8, 8, out var wide));
        Assert.Equal("20000 x 2501 pixels (50 megapixels), over the 50-megapixel limit for an image; shrink it first", wide);
    }
}
