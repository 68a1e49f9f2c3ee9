using SkiaSharp;

namespace HpcLearn.Data.Images;

/// <summary>A PNG contact sheet: images in a grid, each scaled up and captioned (top losses, samples, spectrograms).</summary>
public static class ImageGrid
{
    /// <summary>One tile: 8-bit channel-first pixels (1 or 3 planes) and up to two caption lines.</summary>
    public sealed record Tile(byte[] Planes, string Caption);

    /// <summary>Writes the tiles (all <paramref name="channels"/> x <paramref name="height"/> x <paramref name="width"/>) to <paramref name="path"/>.</summary>
    public static void Save(string path, IReadOnlyList<Tile> tiles, int channels, int height, int width, int columns = 4, int tileSize = 128)
    {
        if (tiles.Count == 0) throw new ArgumentException("no tiles", nameof(tiles));
        const int captionHeight = 34, pad = 6;
        columns = Math.Min(columns, tiles.Count);
        int rows = (tiles.Count + columns - 1) / columns;
        int tileW = tileSize, tileH = Math.Max(8, tileSize * height / width);
        using var sheet = new SKBitmap(columns * (tileW + pad) + pad, rows * (tileH + captionHeight + pad) + pad);
        using var canvas = new SKCanvas(sheet);
        canvas.Clear(SKColors.White);
        using var font = new SKFont(SKTypeface.Default, 11);
        using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        for (int t = 0; t < tiles.Count; t++)
        {
            int x = pad + t % columns * (tileW + pad), y = pad + t / columns * (tileH + captionHeight + pad);
            using var bitmap = ToBitmap(tiles[t].Planes, channels, height, width);
            using var image = SKImage.FromBitmap(bitmap);
            // Nearest neighbour: small images stay crisp pixels instead of a blur.
            canvas.DrawImage(image, new SKRect(x, y, x + tileW, y + tileH), new SKSamplingOptions(SKFilterMode.Nearest));
            var lines = tiles[t].Caption.Split('\n');
            for (int l = 0; l < Math.Min(lines.Length, 2); l++)
                canvas.DrawText(lines[l], x, y + tileH + 13 + 14 * l, SKTextAlign.Left, font, paint);
        }
        using var data = sheet.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        data.SaveTo(file);
    }

    /// <summary>Writes one image of 8-bit channel-first pixels (1 or 3 planes) as a PNG file of its own size.</summary>
    public static void SavePng(string path, byte[] planes, int channels, int height, int width)
    {
        using var bitmap = ToBitmap(planes, channels, height, width);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        data.SaveTo(file);
    }

    private static SKBitmap ToBitmap(byte[] planes, int channels, int height, int width)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        int n = width * height;
        var rgba = new byte[4 * n];
        for (int i = 0; i < n; i++)
        {
            rgba[4 * i] = planes[i];
            rgba[4 * i + 1] = planes[channels == 3 ? n + i : i];
            rgba[4 * i + 2] = planes[channels == 3 ? 2 * n + i : i];
            rgba[4 * i + 3] = 255;
        }
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        return bitmap;
    }
}
