namespace HpcLearn.Data.Images;

/// <summary>An image decoded and resized to the model's size.</summary>
/// <param name="Rgb">8-bit pixels, channel-first: red plane, green plane, blue plane (3 x H x W).</param>
/// <param name="Grey">Whether the source was a greyscale image (all three planes equal).</param>
/// <param name="SourceWidth">Width of the file's image before resizing.</param>
/// <param name="SourceHeight">Height of the file's image before resizing.</param>
public sealed record DecodedImage(byte[] Rgb, bool Grey, int SourceWidth, int SourceHeight)
{
    /// <summary>
    /// The pixels with <paramref name="channels"/> planes: RGB as is, or one luminance plane
    /// (ITU-R BT.601 weights, as PIL's "L" mode) for a greyscale model.
    /// </summary>
    public byte[] Planes(int channels)
    {
        if (channels == 3) return Rgb;
        int n = Rgb.Length / 3;
        var grey = new byte[n];
        for (int i = 0; i < n; i++)
            grey[i] = (byte)Math.Round(0.299 * Rgb[i] + 0.587 * Rgb[n + i] + 0.114 * Rgb[2 * n + i]);
        return grey;
    }
}
