using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Data.Images;

/// <summary>
/// Labelled images held in memory as 8-bit pixels, channel-first (N x C x H x W): 60,000
/// Fashion-MNIST images take 47 MB. Normalisation and augmentation happen per batch.
/// </summary>
public sealed class ImageSet
{
    /// <summary>Creates a set; <paramref name="pixels"/> holds <paramref name="labels"/>.Length images.</summary>
    public ImageSet(byte[] pixels, int[] labels, IReadOnlyList<string> classes, int channels, int height, int width,
        IReadOnlyList<string>? names = null, IReadOnlyList<SkippedFile>? skipped = null)
    {
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), "1 (grey) or 3 (RGB)");
        if (pixels.LongLength != (long)labels.Length * channels * height * width)
            throw new ArgumentException($"{pixels.LongLength} pixels do not make {labels.Length} images of {channels} x {height} x {width}");
        Pixels = pixels;
        Labels = labels;
        Classes = classes;
        Channels = channels;
        Height = height;
        Width = width;
        Names = names ?? Enumerable.Range(0, labels.Length).Select(i => $"#{i}").ToArray();
        Skipped = skipped ?? [];
    }

    /// <summary>8-bit pixels, image after image, each C x H x W.</summary>
    public byte[] Pixels { get; }

    /// <summary>Class index of each image.</summary>
    public int[] Labels { get; }

    /// <summary>Class names in index order.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>1 (grey) or 3 (RGB).</summary>
    public int Channels { get; }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Where each image came from (a file path, or "#index" for IDX and generated data).</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Files that could not be read, with the reason; they are not in the set.</summary>
    public IReadOnlyList<SkippedFile> Skipped { get; }

    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>Bytes per image.</summary>
    public int ImageSize => Channels * Height * Width;

    /// <summary>Images per class, in class order.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[Classes.Count];
        foreach (int y in Labels) counts[y]++;
        return counts;
    }

    /// <summary>The images at <paramref name="rows"/>, in that order.</summary>
    public ImageSet Subset(IReadOnlyList<int> rows)
    {
        int size = ImageSize;
        var pixels = new byte[(long)rows.Count * size];
        for (int i = 0; i < rows.Count; i++)
            Array.Copy(Pixels, (long)rows[i] * size, pixels, (long)i * size, size);
        return new ImageSet(pixels, rows.Select(r => Labels[r]).ToArray(), Classes, Channels, Height, Width,
            rows.Select(r => Names[r]).ToArray(), Skipped);
    }

    /// <summary>The pixels as a uint8 tensor (N, C, H, W).</summary>
    public Tensor PixelTensor() => tensor(Pixels, [Count, Channels, Height, Width], ScalarType.Byte);

    /// <summary>The labels as an int64 tensor (N).</summary>
    public Tensor LabelTensor() => tensor(Labels.Select(l => (long)l).ToArray(), ScalarType.Int64);
}
