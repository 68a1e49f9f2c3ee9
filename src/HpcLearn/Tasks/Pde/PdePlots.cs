using System.Globalization;
using PlotStyle = HpcLearn.Evaluation.Reports.PlotStyle;
using ScottPlot;
using SkiaSharp;

namespace HpcLearn.Tasks.Pde;

/// <summary>
/// The PDE plots: u_θ, the exact u and |u_θ − u| as heat maps side by side; slices predicted vs
/// exact; the loss curve. Grids are grid[i, j] = u(first[i], second[j]); a time-dependent problem
/// is drawn with t across and x up (Raissi's layout), a steady one with x across and y up.
/// </summary>
internal static class PdePlots
{
    /// <summary>The fractions of the second variable's range where slices are drawn.</summary>
    public static readonly double[] SliceFractions = [0.25, 0.5, 0.75];

    /// <summary>PNG of three heat maps: predicted, exact, absolute error.</summary>
    public static byte[] Fields(PdeDomain domain, double[] first, double[] second, double[,] predicted, double[,] exact)
    {
        var error = new double[first.Length, second.Length];
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (int i = 0; i < first.Length; i++)
            for (int j = 0; j < second.Length; j++)
            {
                error[i, j] = Math.Abs(predicted[i, j] - exact[i, j]);
                min = Math.Min(min, exact[i, j]);
                max = Math.Max(max, exact[i, j]);
            }
        var shared = new ScottPlot.Range(min, max); // one colour scale for predicted and exact, so they compare by eye
        return SideBySide(
        [
            HeatMap(domain, first, second, predicted, "u predicted (PINN)", shared, new ScottPlot.Colormaps.Viridis()),
            HeatMap(domain, first, second, exact, "u exact", shared, new ScottPlot.Colormaps.Viridis()),
            HeatMap(domain, first, second, error, "|predicted − exact|", null, new ScottPlot.Colormaps.Turbo()),
        ]);
    }

    /// <summary>PNG of u against the first variable at 25%, 50% and 75% of the second's range, predicted vs exact.</summary>
    public static byte[] Slices(PdeDomain domain, double[] first, double[] second, double[,] predicted, double[,] exact)
    {
        var panels = new List<byte[]>();
        foreach (double fraction in SliceFractions)
        {
            double target = domain.Lower[1] + fraction * (domain.Upper[1] - domain.Lower[1]);
            int j = Enumerable.Range(0, second.Length).MinBy(k => Math.Abs(second[k] - target));
            string title = string.Create(CultureInfo.InvariantCulture, $"{domain.Variables[1]} = {second[j]:0.###}");
            var plot = PlotStyle.New(title, domain.Variables[0], "u");
            var e = plot.Add.Scatter(first, Column(exact, j));
            e.LegendText = "exact";
            e.LineWidth = 4;
            e.MarkerSize = 0;
            e.Color = Colors.Blue.WithAlpha(0.6);
            var p = plot.Add.Scatter(first, Column(predicted, j));
            p.LegendText = "predicted";
            p.LineWidth = 2;
            p.MarkerSize = 0;
            p.Color = Colors.Red;
            p.LinePattern = LinePattern.Dashed;
            plot.ShowLegend(Edge.Bottom);
            panels.Add(PlotStyle.Render(plot, "slice.png", title, 420, 380).Png);
        }
        return SideBySide(panels);
    }

    /// <summary>PNG of log10(loss) per Adam iteration, then per L-BFGS evaluation, with the switch marked.</summary>
    public static byte[] Loss(IReadOnlyList<double> losses, int adamSteps)
    {
        var plot = PlotStyle.New("Training loss", "Adam iteration, then L-BFGS evaluation", "log10 loss");
        var steps = Enumerable.Range(1, losses.Count).Select(i => (double)i).ToArray();
        var log = losses.Select(l => l > 0 ? Math.Log10(l) : double.NaN).ToArray();
        var keep = Enumerable.Range(0, steps.Length).Where(i => double.IsFinite(log[i])).ToArray();
        if (keep.Length > 0)
        {
            var s = plot.Add.Scatter(keep.Select(i => steps[i]).ToArray(), keep.Select(i => log[i]).ToArray());
            s.MarkerSize = 0;
            s.LineWidth = 1.5f;
        }
        if (adamSteps > 0 && adamSteps < losses.Count)
        {
            var line = plot.Add.VerticalLine(adamSteps + 0.5);
            line.LegendText = "Adam → L-BFGS";
            line.LinePattern = LinePattern.Dashed;
            plot.ShowLegend(Edge.Bottom);
        }
        return PlotStyle.Render(plot, "loss.png", "Training loss", 720, 380).Png;
    }

    private static byte[] HeatMap(PdeDomain domain, double[] first, double[] second, double[,] grid, string title, ScottPlot.Range? range, IColormap colormap)
    {
        int n0 = first.Length, n1 = second.Length;
        bool timeAcross = domain.IsTimeDependent;
        // Heatmap rows are drawn top to bottom: the top row holds the largest value of the upward variable.
        var cells = timeAcross ? new double[n0, n1] : new double[n1, n0];
        for (int i = 0; i < n0; i++)
            for (int j = 0; j < n1; j++)
                if (timeAcross) cells[n0 - 1 - i, j] = grid[i, j];
                else cells[n1 - 1 - j, i] = grid[i, j];
        var across = timeAcross ? second : first;
        var up = timeAcross ? first : second;
        var plot = PlotStyle.New(title, timeAcross ? domain.Variables[1] : domain.Variables[0], timeAcross ? domain.Variables[0] : domain.Variables[1]);
        var map = plot.Add.Heatmap(cells);
        map.Colormap = colormap;
        map.Position = new CoordinateRect(across[0], across[^1], up[0], up[^1]);
        if (range is { } r) map.ManualRange = r;
        plot.Add.ColorBar(map);
        plot.Axes.Margins(0, 0);
        return PlotStyle.Render(plot, "field.png", title, 440, 360).Png;
    }

    private static double[] Column(double[,] grid, int j) => Enumerable.Range(0, grid.GetLength(0)).Select(i => grid[i, j]).ToArray();

    /// <summary>The PNGs drawn left to right on one white canvas.</summary>
    private static byte[] SideBySide(IReadOnlyList<byte[]> pngs)
    {
        var bitmaps = pngs.Select(SKBitmap.Decode).ToList();
        try
        {
            int width = bitmaps.Sum(b => b.Width), height = bitmaps.Max(b => b.Height);
            using var surface = SKSurface.Create(new SKImageInfo(width, height));
            surface.Canvas.Clear(SKColors.White);
            int x = 0;
            foreach (var b in bitmaps) { surface.Canvas.DrawBitmap(b, x, 0); x += b.Width; }
            using var image = surface.Snapshot();
            using var data = image.Encode(SKEncodedImageFormat.Png, 100);
            return data.ToArray();
        }
        finally
        {
            foreach (var b in bitmaps) b.Dispose();
        }
    }
}
