using SkiaSharp;

namespace HpcLearn.Data.Images;

/// <summary>
/// Decodes PNG, JPEG, BMP, GIF and WebP files with SkiaSharp (Google's Skia; MIT, already a
/// dependency through the plotting library) and resizes them to the model's input size.
/// </summary>
public static class ImageFile
{
    /// <summary>File extensions treated as images in folders.</summary>
    public static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"];

    /// <summary>
    /// The most pixels an image may have: 50 megapixels (e.g. 8660 x 5773), above any camera most
    /// researchers use. The header's size is checked before decoding, because decoding needs four
    /// bytes a pixel: a 548 KB PNG can claim 20000 x 20000 and would take 1.6 GB decoded.
    /// </summary>
    public const long MaxPixels = 50_000_000;

    /// <summary>Whether <paramref name="path"/> has an image extension.</summary>
    public static bool IsImage(string path) => Extensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    /// <summary>
    /// Decodes <paramref name="path"/> and resizes it (the whole image, aspect ratio not kept:
    /// training and predict do the same) to <paramref name="height"/> x <paramref name="width"/>.
    /// Returns null with the reason for an unreadable, corrupt or truncated file, or one whose header
    /// claims more than <see cref="MaxPixels"/> pixels (refused before any pixel is decoded).
    /// </summary>
    public static DecodedImage? TryDecode(string path, int height, int width, out string? problem)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return TryDecode(stream, height, width, out problem);
        }
        catch (IOException e)
        {
            problem = e.Message;
            return null;
        }
        catch (UnauthorizedAccessException e)
        {
            problem = e.Message;
            return null;
        }
    }

    /// <summary>As <see cref="TryDecode(string, int, int, out string?)"/>, from a stream.</summary>
    public static DecodedImage? TryDecode(Stream stream, int height, int width, out string? problem)
    {
        using var codec = SKCodec.Create(stream, out var created);
        if (codec is null)
        {
            problem = created == SKCodecResult.Unimplemented ? "not an image format SkiaSharp reads" : $"cannot decode ({created})";
            return null;
        }
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        if (info.Width <= 0 || info.Height <= 0) { problem = "empty image"; return null; }
        if ((long)info.Width * info.Height > MaxPixels)
        {
            problem = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{info.Width} x {info.Height} pixels ({(double)info.Width * info.Height / 1e6:0.#} megapixels), over the {MaxPixels / 1_000_000}-megapixel limit for an image; shrink it first");
            return null;
        }
        using var full = new SKBitmap(info);
        var result = codec.GetPixels(info, full.GetPixels());
        if (result != SKCodecResult.Success)
        {
            problem = result == SKCodecResult.IncompleteInput ? "truncated image data" : $"cannot decode ({result})";
            return null;
        }
        using var small = Resize(full, width, height);
        var rgba = small.Bytes;
        int n = width * height;
        var rgb = new byte[3 * n];
        bool grey = true;
        for (int i = 0; i < n; i++)
        {
            byte r = rgba[4 * i], g = rgba[4 * i + 1], b = rgba[4 * i + 2], a = rgba[4 * i + 3];
            if (a != 255)   // transparent pixels over white, as image viewers show them
            {
                r = (byte)((r * a + 255 * (255 - a) + 127) / 255);
                g = (byte)((g * a + 255 * (255 - a) + 127) / 255);
                b = (byte)((b * a + 255 * (255 - a) + 127) / 255);
            }
            rgb[i] = r; rgb[n + i] = g; rgb[2 * n + i] = b;
            grey &= r == g && g == b;
        }
        problem = null;
        return new DecodedImage(rgb, grey, info.Width, info.Height);
    }

    private static SKBitmap Resize(SKBitmap source, int width, int height)
    {
        var target = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        if (source.Width == width && source.Height == height)
        {
            source.CopyTo(target);
            return target;
        }
        // Drawing an SKImage with mipmaps: large photos shrunk to 64 px do not alias.
        using var canvas = new SKCanvas(target);
        using var image = SKImage.FromBitmap(source);
        canvas.Clear(SKColors.White);
        canvas.DrawImage(image, new SKRect(0, 0, width, height), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        return target;
    }
}
