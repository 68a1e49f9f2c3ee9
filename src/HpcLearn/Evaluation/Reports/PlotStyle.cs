using ScottPlot;
using SkiaSharp;

namespace HpcLearn.Evaluation.Reports;

/// <summary>The look shared by every report plot, and rendering to PNG.</summary>
internal static class PlotStyle
{
    /// <summary>Default plot size in pixels.</summary>
    public const int Width = 640, Height = 360;

    // ScottPlot's "sans" font resolves to a serif face on some Linux systems; pick a sans one that is installed.
    private static readonly string? SansFont = new[] { "DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica" }
        .FirstOrDefault(f => SKFontManager.Default.FontFamilies.Contains(f));

    /// <summary>A plot with a title and axis labels.</summary>
    public static Plot New(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        if (SansFont is not null) plot.Font.Set(SansFont);
        plot.Title(title, 16);
        plot.XLabel(xLabel, 14);
        plot.YLabel(yLabel, 14);
        return plot;
    }

    /// <summary>Adds a line with markers through the finite points of (xs, ys); a null legend adds no legend entry.</summary>
    public static void Curve(Plot plot, double[] xs, double[] ys, string? legend)
    {
        var keep = Enumerable.Range(0, Math.Min(xs.Length, ys.Length)).Where(i => double.IsFinite(xs[i]) && double.IsFinite(ys[i])).ToArray();
        if (keep.Length == 0) return;
        var s = plot.Add.Scatter(keep.Select(i => xs[i]).ToArray(), keep.Select(i => ys[i]).ToArray());
        if (legend is not null) s.LegendText = legend; // ScottPlot shows a legend as soon as one item has text
        s.LineWidth = 2;
        s.MarkerSize = 6;
    }

    /// <summary>Pixels per layout pixel: the PNG is drawn at twice its display size, so it stays sharp on high-density screens and when zoomed.</summary>
    public const int Density = 2;

    /// <summary>Renders, disposes the plot, and returns the image; <paramref name="width"/> and <paramref name="height"/> are the display size.</summary>
    public static PlotImage Render(Plot plot, string fileName, string title, int width = Width, int height = Height)
    {
        using (plot)
        {
            plot.ScaleFactor = Density;
            return new PlotImage(fileName, title, plot.GetImageBytes(width * Density, height * Density, ImageFormat.Png), width, height);
        }
    }

    /// <summary>Integer ticks for epochs when there are few, so no "1.5" epoch appears.</summary>
    public static void EpochTicks(Plot plot, double[] epochs)
    {
        if (epochs.Length is > 0 and <= 12)
            plot.Axes.Bottom.SetTicks(epochs, epochs.Select(e => e.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
    }
}
