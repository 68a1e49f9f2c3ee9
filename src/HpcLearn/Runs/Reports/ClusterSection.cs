using System.Globalization;
using System.Text;
using System.Text.Json;
using HpcLearn.Evaluation.Reports;
using HpcLearn.Runs.Metrics;

namespace HpcLearn.Runs.Reports;

/// <summary>
/// A clustering run: the points coloured by cluster (<c>plots/clusters.png</c>, drawn by the run
/// from the data) and, for a k range, the choice of k redrawn from k-selection.csv (one row per k)
/// with the chosen k (summary.json's <c>k</c>) marked, beside the table of every k. metrics.csv
/// holds the kept fit's objective per iteration and is drawn by the common metrics section.
/// </summary>
internal sealed class ClusterSection : TaskSection
{
    private const string ScatterFile = "clusters.png", SelectionFile = "k-selection.png", KTableFile = "k-selection.csv";

    private static readonly string[] Quality = ["silhouette", "davies_bouldin", "calinski_harabasz", "inertia", "log_likelihood", "bic", "aic", "ari", "nmi"];

    /// <inheritdoc />
    public override string Id => "clusters";

    /// <inheritdoc />
    public override string Title => "Clusters";

    /// <inheritdoc />
    public override IReadOnlyList<KeyValuePair<string, double>> Metrics(ReportRun run) =>
        Quality.SelectMany(q => run.Metrics.Where(m => m.Key == q)).ToList();

    /// <inheritdoc />
    public override string? Progress(ReportRun run) =>
        Text(run, "algorithm") is { } algorithm ? $"{algorithm}, k = {ChosenK(run)?.ToString(CultureInfo.InvariantCulture) ?? "?"}" + (Text(run, "k_chosen_by") is { } by ? $" ({by})" : "") : null;

    /// <inheritdoc />
    public override List<PlotImage> Plots(ReportRun run)
    {
        var plots = new List<PlotImage>();
        if (PngFile.Read(run.PathOf("plots", ScatterFile), "The points coloured by cluster (the first two principal components when there are more than two columns), centres marked") is { } scatter)
            plots.Add(scatter);
        if (Selection(run) is { } selection) plots.Add(selection);
        return plots;
    }

    /// <summary>k-selection.csv (k, then one column per measure) as a history whose step is k; null for a single k.</summary>
    private static MetricsHistory? KTable(ReportRun run)
    {
        string path = run.PathOf(KTableFile);
        if (!File.Exists(path)) return null;
        var table = MetricsCsvReader.Read(path);
        if (table.Column("k") is not { } k) return null;
        return new MetricsHistory(k, Enumerable.Repeat(double.NaN, k.Length).ToArray(), table.Columns.Where(c => c.Key != "k").ToList());
    }

    /// <summary>The k-selection curves with the chosen k marked, or null for a single k.</summary>
    private static PlotImage? Selection(ReportRun run)
    {
        if (KTable(run) is not { Count: >= 2 } h) return null;
        bool mixture = h.Has("bic");
        var plot = PlotStyle.New(mixture ? "Choosing k (Gaussian mixture)" : "Choosing k", "k", mixture ? "information criterion (lower is better)" : "inertia");
        if (mixture)
        {
            PlotStyle.Curve(plot, h.Step, h.Column("bic")!, "BIC");
            PlotStyle.Curve(plot, h.Step, h.Column("aic") ?? [], "AIC");
        }
        else
        {
            PlotStyle.Curve(plot, h.Step, h.Column("inertia") ?? [], "inertia (elbow)");
            if (h.Has("silhouette"))
            {
                var s = plot.Add.Scatter(h.Step.Where((_, i) => double.IsFinite(h.Column("silhouette")![i])).ToArray(), h.Column("silhouette")!.Where(double.IsFinite).ToArray());
                s.LegendText = "silhouette (right axis)";
                s.LineWidth = 2;
                s.MarkerSize = 6;
                s.Axes.YAxis = plot.Axes.Right;
                plot.Axes.Right.Label.Text = "silhouette";
            }
        }
        if (ChosenK(run) is int k)
        {
            var line = plot.Add.VerticalLine(k);
            line.LegendText = $"chosen k = {k}";
            line.LinePattern = ScottPlot.LinePattern.Dashed;
            line.LineWidth = 2;
        }
        PlotStyle.EpochTicks(plot, h.Step);
        plot.ShowLegend(ScottPlot.Edge.Bottom);
        return PlotStyle.Render(plot, SelectionFile, $"The choice of k{(Text(run, "k_chosen_by") is { } by ? $" ({by})" : "")}, the chosen k marked");
    }

    /// <inheritdoc />
    public override void Write(StringBuilder sb, ReportRun run, IReadOnlyDictionary<string, PlotImage> plots)
    {
        sb.Append($"<section id=\"{Id}\">\n<h2>{Title}</h2>\n");
        if (plots.TryGetValue(ScatterFile, out var scatter)) sb.Append(Html.Figure(scatter)).Append('\n');
        else sb.Append($"<p class=\"note\">This run folder has no plots/{ScatterFile}.</p>\n");
        if (plots.TryGetValue(SelectionFile, out var selection)) sb.Append(Html.Figure(selection)).Append('\n');
        if (KTable(run) is { Count: > 0, Columns.Count: > 0 } h)
        {
            int? chosen = ChosenK(run);
            sb.Append("<table class=\"metrics\" id=\"k-table\">\n").HeaderRow(["k", .. h.Columns.Select(c => $"{ReportText.MetricName(c.Key)} {ReportText.Direction(c.Key)}".Trim())]);
            for (int i = 0; i < h.Count; i++)
            {
                bool isChosen = chosen is int k && h.Step[i] == k;
                sb.Append(isChosen ? "<tr class=\"chosen\">" : "<tr>").Append(CultureInfo.InvariantCulture, $"<td>{h.Step[i]:0}{(isChosen ? "<span class=\"badge\">chosen</span>" : "")}</td>");
                foreach (var (_, values) in h.Columns) sb.Append(Html.MetricCell(values[i]));
                sb.Append("</tr>\n");
            }
            sb.Append("</table>\n");
        }
        sb.Append("</section>\n");
    }

    private static int? ChosenK(ReportRun run) =>
        run.Summary.MetricsJson.TryGetValue("k", out var v) && v is JsonElement { ValueKind: JsonValueKind.Number } e && e.TryGetInt32(out int k) ? k : null;

    private static string? Text(ReportRun run, string key) =>
        run.Summary.MetricsJson.TryGetValue(key, out var v) && v is JsonElement { ValueKind: JsonValueKind.String } e ? e.GetString() : null;
}
