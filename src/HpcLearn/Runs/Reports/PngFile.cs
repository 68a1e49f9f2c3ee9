using System.Buffers.Binary;
using HpcLearn.Evaluation.Reports;

namespace HpcLearn.Runs.Reports;

/// <summary>A PNG a task drew into the run folder, embedded as it is (the report cannot redraw it without the model).</summary>
internal static class PngFile
{
    /// <summary>
    /// The image at <paramref name="path"/>, shown at its pixel size over <paramref name="density"/>
    /// (2 for plots drawn with <see cref="PlotStyle.Density"/>); null when the file is missing or no PNG.
    /// </summary>
    public static PlotImage? Read(string path, string title, int density = PlotStyle.Density)
    {
        if (!File.Exists(path)) return null;
        byte[] png = File.ReadAllBytes(path);
        // The signature, then the IHDR chunk: width and height, big-endian, at bytes 16 and 20.
        if (png.Length < 24 || png[1] != 'P' || png[2] != 'N' || png[3] != 'G') return null;
        int width = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16));
        int height = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20));
        return new PlotImage(Path.GetFileName(path), title, png, Math.Max(1, width / density), Math.Max(1, height / density));
    }
}
