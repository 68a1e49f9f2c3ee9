using HpcLearn.Evaluation.Reports;

namespace HpcLearn.Tasks.Clustering;

/// <summary>The clustering plots: points coloured by cluster (PCA to 2-D when d &gt; 2), and the k-selection curves.</summary>
internal static class ClusterPlots
{
    /// <summary>At most this many points are drawn (a fixed random subset beyond it).</summary>
    public const int MaxPoints = 20_000;

    /// <summary>PNG of the points (n × d) coloured by <paramref name="labels"/>, with the centres (K × d, same space) marked.</summary>
    public static byte[] Scatter(float[] x, int n, int d, int[] labels, float[] centres, int k, string[] columns)
    {
        var idx = Enumerable.Range(0, n).ToArray();
        if (n > MaxPoints) { new Random(0).Shuffle(idx); idx = idx[..MaxPoints]; }
        var sub = new float[idx.Length * d];
        for (int s = 0; s < idx.Length; s++) Array.Copy(x, idx[s] * d, sub, s * d, d);
        var p = Pca2.Project(sub, idx.Length, d, out var mean, out var comps);
        var pc = Pca2.Apply(centres, k, d, mean, comps);
        bool pca = d > 2;
        string title = pca ? $"Clusters (k = {k}), PCA projection of {d} columns" : $"Clusters (k = {k})";
        var plot = PlotStyle.New(title, pca ? "PC 1" : columns[0], pca ? "PC 2" : (d > 1 ? columns[1] : ""));
        var palette = new ScottPlot.Palettes.Category10();
        var noise = Enumerable.Range(0, idx.Length).Where(s => labels[idx[s]] < 0).ToArray();
        if (noise.Length > 0)
        {
            var ns = plot.Add.Scatter(noise.Select(m => p[2 * m]).ToArray(), noise.Select(m => p[2 * m + 1]).ToArray());
            ns.LineWidth = 0;
            ns.MarkerSize = 3;
            ns.Color = ScottPlot.Colors.Gray.WithAlpha(0.5);
            ns.LegendText = "noise";
        }
        for (int c = 0; c < k; c++)
        {
            var members = Enumerable.Range(0, idx.Length).Where(s => labels[idx[s]] == c).ToArray();
            if (members.Length == 0) continue;
            var s = plot.Add.Scatter(members.Select(m => p[2 * m]).ToArray(), members.Select(m => p[2 * m + 1]).ToArray());
            s.LineWidth = 0;
            s.MarkerSize = 4;
            s.Color = palette.GetColor(c).WithAlpha(0.6);
            if (k <= 12) s.LegendText = $"cluster {c}";
        }
        if (k == 0) { plot.ShowLegend(ScottPlot.Edge.Right); return PlotStyle.Render(plot, "clusters.png", title, 720, 480).Png; }
        var cs = plot.Add.Scatter(Enumerable.Range(0, k).Select(c => pc[2 * c]).ToArray(), Enumerable.Range(0, k).Select(c => pc[2 * c + 1]).ToArray());
        cs.LineWidth = 0;
        cs.MarkerSize = 12;
        cs.MarkerShape = ScottPlot.MarkerShape.Cross;
        cs.Color = ScottPlot.Colors.Black;
        cs.LegendText = "centres";
        plot.ShowLegend(ScottPlot.Edge.Right);
        return PlotStyle.Render(plot, "clusters.png", title, 720, 480).Png;
    }

    /// <summary>PNG of inertia (left axis, the elbow) and silhouette (right axis) against k.</summary>
    public static byte[] KSelection(IReadOnlyList<KChoice> rows)
    {
        var ks = rows.Select(r => (double)r.K).ToArray();
        var plot = PlotStyle.New("Choosing k", "k", "inertia");
        var inertia = plot.Add.Scatter(ks, rows.Select(r => r.Inertia).ToArray());
        inertia.LegendText = "inertia (elbow)";
        inertia.LineWidth = 2;
        inertia.MarkerSize = 6;
        var sil = rows.Where(r => double.IsFinite(r.Silhouette)).ToArray();
        if (sil.Length > 0)
        {
            var s = plot.Add.Scatter(sil.Select(r => (double)r.K).ToArray(), sil.Select(r => r.Silhouette).ToArray());
            s.LegendText = "silhouette (right axis)";
            s.LineWidth = 2;
            s.MarkerSize = 6;
            s.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = "silhouette";
        }
        PlotStyle.EpochTicks(plot, ks);
        plot.ShowLegend(ScottPlot.Edge.Bottom);
        return PlotStyle.Render(plot, "k-selection.png", "Inertia and silhouette against k").Png;
    }

    /// <summary>PNG of BIC and AIC against k for Gaussian mixtures (lower is better).</summary>
    public static byte[] BicSelection(IReadOnlyList<MixtureChoice> rows)
    {
        var ks = rows.Select(r => (double)r.K).ToArray();
        var plot = PlotStyle.New("Choosing k (Gaussian mixture)", "k", "information criterion (lower is better)");
        var bic = plot.Add.Scatter(ks, rows.Select(r => r.Bic).ToArray());
        bic.LegendText = "BIC";
        bic.LineWidth = 2;
        bic.MarkerSize = 6;
        var aic = plot.Add.Scatter(ks, rows.Select(r => r.Aic).ToArray());
        aic.LegendText = "AIC";
        aic.LineWidth = 2;
        aic.MarkerSize = 6;
        PlotStyle.EpochTicks(plot, ks);
        plot.ShowLegend(ScottPlot.Edge.Bottom);
        return PlotStyle.Render(plot, "k-selection.png", "BIC and AIC against k").Png;
    }
}
